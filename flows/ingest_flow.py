"""The ingestion flows: ``ingest-source`` (one source, once) and ``ingest-all`` (every enabled one).

Thin on purpose: each task calls one stage of :class:`ingest.run.SourceRun` and moves data on.
Page bytes stay in memory (tasks persist no results, compute no cache keys); only counts and the
run summary artifact reach the Prefect server. Large arguments are passed ``quote``d: Prefect would
otherwise walk every page of a batch looking for futures to resolve (~10% of the flow process's CPU).
"""

from __future__ import annotations

import prefect.runtime as prefect_runtime
from confluent_kafka import KafkaException
from prefect import flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact
from prefect.cache_policies import NO_CACHE
from prefect.utilities.annotations import quote

from flows.reports import ingest_markdown
from ingest.run import Building, FetchResult, RunReport, SourceRun
from ingest.sources.candidate import Candidate
from ingest.sources.config import find_source, load_sources
from schemas.article import IngestRun
from schemas.settings import get_settings

# Discovery and fetching meet the network: a transient failure there is worth another try.
# Pages that fail inside a batch are already retried by the fetcher and dead-lettered, so a task
# retry only covers an unexpected crash of the batch itself.
NETWORK_TASK_RETRIES = 2
NETWORK_TASK_RETRY_DELAY_S = 5


class KafkaUnavailable(RuntimeError):
    """Kafka cannot be reached: the run fails (nothing could be published) with what to do next."""


@task(
    name="discover",
    task_run_name="discover {source_name}",
    retries=NETWORK_TASK_RETRIES,
    retry_delay_seconds=NETWORK_TASK_RETRY_DELAY_S,
    cache_policy=NO_CACHE,
    persist_result=False,
)
def discover(run: SourceRun, source_name: str) -> list[list[Candidate]]:
    return run.discover()


@task(
    name="fetch-batch",
    task_run_name="fetch {source_name} batch {batch}",
    retries=NETWORK_TASK_RETRIES,
    retry_delay_seconds=NETWORK_TASK_RETRY_DELAY_S,
    cache_policy=NO_CACHE,
    persist_result=False,
)
def fetch_batch(run: SourceRun, chunk: list[Candidate], source_name: str, batch: int) -> FetchResult:
    return run.fetch(chunk)


@task(
    name="extract-publish-batch",
    task_run_name="extract+publish {source_name} batch {batch}",
    retries=0,
    cache_policy=NO_CACHE,
    persist_result=False,
)
def extract_publish_batch(run: SourceRun, building: Building, source_name: str, batch: int) -> int:
    """Collect a batch the workers are building and publish it. No retries: a page that cannot
    become an article will not on a second try (it is dead-lettered)."""
    run.finish_build(building)
    return run.report.extracted


def _open_run(source_name: str, workers: int) -> SourceRun:
    settings = get_settings()
    source = find_source(load_sources(settings.sources_file), source_name)
    try:
        return SourceRun(source, settings, workers or None, ingest_run=_this_flow_run())
    except KafkaException as exc:
        raise KafkaUnavailable(
            f"Kafka is unreachable at {settings.kafka_bootstrap} ({exc}); nothing was published. "
            f"Start it with `newsflow stack up` or set NEWSFLOW_KAFKA_BOOTSTRAP, then run again."
        ) from exc


def _this_flow_run() -> IngestRun | None:
    """The running flow run, stamped on each event so a reader can open it (None outside Prefect)."""
    run_id = prefect_runtime.flow_run.id
    if run_id is None:
        return None
    return IngestRun(
        flow_run_id=run_id,
        flow_run_name=prefect_runtime.flow_run.name,
        deployment_id=prefect_runtime.deployment.id,
    )


def _summary(report: RunReport) -> dict[str, object]:
    return {
        "source": report.source,
        "discovered": report.discovered,
        "unchanged": report.unchanged,
        "fetched": report.fetched,
        "extracted": report.extracted,
        "published": report.published,
        "dead_lettered": report.dead_lettered_total,
        "not_processed": report.not_processed,
        "balanced": report.balanced(),
    }


def _finish(run: SourceRun, building: Building, source_name: str, batch: int, batches: int) -> None:
    extracted = extract_publish_batch(quote(run), quote(building), source_name, batch)
    # Kafka acknowledges asynchronously: the published count is final after the run's flush.
    get_run_logger().info(
        "%s: batch %d/%d done, %d articles extracted and sent so far", source_name, batch, batches, extracted
    )


@flow(name="ingest-source", flow_run_name="ingest {source_name}", persist_result=False)
def ingest_source(source_name: str, workers: int = 0) -> dict[str, object]:
    """discover -> fetch (polite, concurrent) -> extract + enrich (all cores) -> publish, for one source.

    ``workers=0`` uses every core. Dead-lettered pages do not fail the run; Kafka unreachable does.
    """
    logger = get_run_logger()
    with _open_run(source_name, workers) as run:
        chunks = discover(quote(run), source_name)
        logger.info("%s: %d candidates in %d batches", source_name, sum(map(len, chunks)), len(chunks))
        pending = fetch_batch.submit(quote(run), quote(chunks[0]), source_name, 1) if chunks else None
        building: Building | None = None
        for index in range(len(chunks)):
            assert pending is not None
            fetched = pending.result()
            # Fetch the next batch while this one is extracted: I/O overlaps the NER cores.
            if index + 1 < len(chunks):
                pending = fetch_batch.submit(quote(run), quote(chunks[index + 1]), source_name, index + 2)
            # Queue this batch on the workers before the previous one is collected and published,
            # so they go straight from one batch to the next.
            started = run.start_build(fetched)
            if building is not None:
                _finish(run, building, source_name, index, len(chunks))
            building = started
        if building is not None:
            _finish(run, building, source_name, len(chunks), len(chunks))
    report = run.report
    logger.info("%s: %s", source_name, _summary(report))
    create_markdown_artifact(
        key=f"ingest-{source_name}".lower().replace("_", "-").replace(".", "-"),
        markdown=ingest_markdown(report),
        description=f"ingestion of {source_name}",
    )
    if not report.balanced():
        raise RuntimeError(
            f"{source_name}: counts do not balance ({report.discovered} discovered, "
            f"{report.accounted} accounted for); see the artifact"
        )
    if report.not_processed and not report.stopped:
        raise KafkaUnavailable(
            f"{source_name}: Kafka did not acknowledge {report.not_processed} messages "
            f"in time; they will be published by the next run. Check `newsflow stack "
            f"status` and the broker log."
        )
    return _summary(report)


@flow(name="ingest-all", flow_run_name="ingest all enabled sources", persist_result=False)
def ingest_all(workers: int = 0) -> list[dict[str, object]]:
    """Backfill: every enabled source once, one after the other (each a subflow run in the UI)."""
    settings = get_settings()
    return [
        ingest_source(source.name, workers)
        for source in load_sources(settings.sources_file)
        if source.enabled
    ]
