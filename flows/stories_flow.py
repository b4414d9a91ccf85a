"""The ``assign-stories`` flow: a micro-batch of the stories stage, until it has caught up with the topic.

Like ``index-articles``: each run is a bounded unit with an artifact in the Prefect UI; ``newsflow stories
run`` runs the same stage forever for stories within about a second. Unlike the indexer, the stage is
one consumer (its state spans partitions): the deployment never overlaps itself, and a streaming
``newsflow stories run`` should not run beside it (both would assign; the stored assignments keep the
ids, but the second one's counts would be off).
"""

from __future__ import annotations

from prefect import flow, get_run_logger
from prefect.artifacts import create_markdown_artifact

from indexing.stories.stage import StoriesReport, run_stories
from schemas.settings import get_settings


def stories_markdown(report: StoriesReport, topic: str) -> str:
    rows = [
        ("assigned", report.assigned),
        ("copies", report.duplicates),
        ("new stories", report.new_stories),
        ("restored (already assigned)", report.restored),
        ("dead-lettered", report.dead_lettered),
        ("skipped (undecodable)", report.skipped),
        ("elapsed s", f"{report.elapsed_s:.1f}"),
        ("total lag", sum(report.lag.values())),
    ]
    table = "\n".join(["| count | value |", "|---|---:|", *(f"| {k} | {v} |" for k, v in rows)])
    return f"# Stories from `{topic}`\n\n{table}"


@flow(name="assign-stories", persist_result=False, log_prints=True)
def assign_stories(topic: str = "", group: str = "", alias: str = "") -> dict[str, object]:
    """Assign duplicates and stories to everything in the topic now. Empty parameters mean the settings'."""
    settings = get_settings()
    topic = topic or settings.articles_topic
    report = run_stories(
        settings,
        until_caught_up=True,
        topic=topic,
        group=group or settings.stories_group,
        alias=alias or settings.index_alias,
    )
    create_markdown_artifact(key="stories-report", markdown=stories_markdown(report, topic))
    get_run_logger().info(
        "assigned %d (%d copies), lag %d", report.assigned, report.duplicates, sum(report.lag.values())
    )
    return {"assigned": report.assigned, "duplicates": report.duplicates, "lag": report.lag}
