"""The ingestion flows: ``ingest-source`` (one source, once) and ``ingest-all`` (every enabled one).

Thin on purpose: ``ingest.driver.drive`` runs the stages, each task calls one stage of
:class:`ingest.run.SourceRun` and moves data on.
Page bytes stay in memory (tasks persist no results, compute no cache keys); only counts and the
run summary artifact reach the Prefect server. Large arguments are passed ``quote``d: Prefect would
otherwise walk every page of a batch looking for futures to resolve (~10% of the flow process's CPU).
"""

from __future__ import annotations

import prefect.runtime as prefect_runtime
from prefect import flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact
from prefect.cache_policies import NO_CACHE
from prefect.utilities.annotations import quote

from flows.reports import ingest_markdown
from ingest.driver import Fetching, drive
from ingest.failure_policy import verdict
from ingest.fetch.batch import FetchResult
from ingest.run import Building, SourceRun
from ingest.sources.candidate import Candidate
from ingest.sources.config import find_source, load_sources
from schemas.article import IngestRun
from schemas.settings import get_settings

# Discovery and fetching meet the network: a transient failure there is worth another try (both
# are safe to retry: ``SourceRun.discover`` counts and dead-letters once, fetching has no effect).
# Pages that fail inside a batch are already retried by the fetcher and dead-lettered, so a task
# retry only covers an unexpected crash of the batch itself.
NETWORK_TASK_RETRIES = 2
NETWORK_TASK_RETRY_DELAY_S = 5


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


class TaskSteps:
    """The driver's stages as Prefect tasks (each visible in the UI, network ones retried)."""

    def discover(self, run: SourceRun) -> list[list[Candidate]]:
        batches = discover(quote(run), run.source.name)
        get_run_logger().info(
            "%s: %d candidates in %d batches", run.source.name, sum(map(len, batches)), len(batches)
        )
        return batches

    def fetch(self, run: SourceRun, batch: list[Candidate], number: int) -> Fetching:
        return fetch_batch.submit(quote(run), quote(batch), run.source.name, number)

    def finish(self, run: SourceRun, building: Building, number: int, batches: int) -> None:
        extracted = extract_publish_batch(quote(run), quote(building), run.source.name, number)
        # Kafka acknowledges asynchronously: the published count is final after the run's flush.
        get_run_logger().info(
            "%s: batch %d/%d done, %d articles extracted and sent so far",
            run.source.name,
            number,
            batches,
            extracted,
        )


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


@flow(name="ingest-source", flow_run_name="ingest {source_name}", persist_result=False)
def ingest_source(source_name: str, workers: int = 0) -> dict[str, object]:
    """discover -> fetch (polite, concurrent) -> extract + enrich (all cores) -> publish, for one source.

    ``workers=0`` uses every core. Dead-lettered pages do not fail the run; Kafka unreachable does.
    """
    settings = get_settings()
    source = find_source(load_sources(settings.sources_file), source_name)
    this_run = _this_flow_run()
    run_id = this_run.flow_run_id[:8] if this_run else None
    with SourceRun(source, settings, workers or None, run_id=run_id, ingest_run=this_run) as run:
        drive(run, TaskSteps())
    report = run.report
    get_run_logger().info("%s: %s", source_name, report.summary())
    create_markdown_artifact(
        key=f"ingest-{source_name}".lower().replace("_", "-").replace(".", "-"),
        markdown=ingest_markdown(report),
        description=f"ingestion of {source_name}",
    )
    failure = verdict(report)
    if failure is not None:
        raise failure
    return report.summary()


@flow(name="ingest-all", flow_run_name="ingest all enabled sources", persist_result=False)
def ingest_all(workers: int = 0) -> list[dict[str, object]]:
    """Backfill: every enabled source once, one after the other (each a subflow run in the UI)."""
    settings = get_settings()
    return [
        ingest_source(source.name, workers)
        for source in load_sources(settings.sources_file)
        if source.enabled
    ]
