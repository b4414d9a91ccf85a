"""The ``index-articles`` flow: a micro-batch that indexes the topic until the lag is zero.

Why a micro-batch flow and not a long-running served flow: each run is a bounded unit with an
end state and an artifact (indexed, dead-lettered, lag per partition) in the Prefect UI, retries
and schedules work as for any flow, and a crashed run is simply the next scheduled one. Low
latency (freshness within seconds) comes from the streaming indexer, ``newsflow index``, which
runs the same code (``indexing.indexer``) forever; both may run at once: they share the consumer
group, so Kafka splits the partitions between them and nothing is indexed twice.
"""

from __future__ import annotations

from prefect import flow, get_run_logger, runtime
from prefect.artifacts import create_markdown_artifact

from flows.reports import index_markdown
from indexing.indexer import run_until_caught_up
from schemas.settings import get_settings


def _run_name() -> str:
    topic = runtime.flow_run.parameters.get("topic") or get_settings().articles_topic
    return f"index {topic}"


@flow(name="index-articles", flow_run_name=_run_name, persist_result=False, log_prints=True)
def index_articles(topic: str = "", group: str = "", alias: str = "") -> dict[str, object]:
    """Index everything in the topic now, commit, and report. Empty parameters mean the settings'."""
    settings = get_settings()
    topic, group, alias = (
        topic or settings.articles_topic,
        group or settings.indexer_group,
        (alias or settings.index_alias),
    )
    report = run_until_caught_up(settings, topic=topic, group=group, target=alias)
    create_markdown_artifact(
        key="index-report",
        markdown=index_markdown(report, topic, alias),
        description=f"indexing {topic} -> {alias}",
    )
    get_run_logger().info(
        "indexed %d, dead-lettered %d, lag %d", report.indexed, report.dead_lettered, sum(report.lag.values())
    )
    return {"indexed": report.indexed, "dead_lettered": report.dead_lettered, "lag": report.lag}
