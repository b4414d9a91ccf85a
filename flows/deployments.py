"""Deployments: one per enabled source (its own schedule), the indexer, and the backfill.

``newsflow serve`` serves them all from one process against the configured Prefect server. A
source never overlaps itself: each deployment has ``concurrency_limit=1`` (a second scheduled run
waits until the first ends). A second ``newsflow serve`` process (same sources.yaml, same server)
shares the load: every serve process polls the server for the scheduled runs of the same
deployments, and the server lets exactly one of them move a run to PENDING, so each run executes
once. On several machines, use a work pool and workers instead (see ``prefect.yaml``).
"""

from __future__ import annotations

from prefect.deployments.runner import RunnerDeployment

from flows.index_flow import index_articles
from flows.ingest_flow import ingest_all, ingest_source
from flows.stories_flow import assign_stories
from flows.zombies import HEARTBEAT_TAG
from ingest.sources.config import SourceConfig

# The micro-batch indexer runs every 30 s: a published article is searchable within ~30 s through
# Prefect alone; `newsflow index` (streaming) brings that to about a second.
INDEXER_INTERVAL_S = 30
INDEXER_DEPLOYMENT = "index-articles/indexer"
# The stories stage follows the indexer (it updates indexed articles): the same 30 s micro-batch.
STORIES_INTERVAL_S = 30
STORIES_DEPLOYMENT = "assign-stories/stories"


def deployment_name(source: SourceConfig) -> str:
    """The full ``flow/deployment`` name of a source's deployment."""
    return f"ingest-source/{source.name}"


def source_deployment(source: SourceConfig) -> RunnerDeployment:
    """The source's ingestion on its own schedule (cron or interval), never overlapping itself."""
    return ingest_source.to_deployment(
        name=source.name,
        parameters={"source_name": source.name},
        cron=source.cron,
        interval=source.interval_s,
        concurrency_limit=1,
        tags=["newsflow", "ingest", HEARTBEAT_TAG, *source.tags],
        description=f"{source.type} source at {source.location}",
    )


def all_deployments(sources: list[SourceConfig]) -> list[RunnerDeployment]:
    """Every enabled source, the indexer and stories micro-batches, and the (unscheduled) backfill."""
    deployments = [source_deployment(s) for s in sources if s.enabled]
    deployments.append(
        index_articles.to_deployment(
            name="indexer",
            interval=INDEXER_INTERVAL_S,
            concurrency_limit=1,
            tags=["newsflow", "index"],
            description="index the articles topic until the lag is zero",
        )
    )
    deployments.append(
        assign_stories.to_deployment(
            name="stories",
            interval=STORIES_INTERVAL_S,
            concurrency_limit=1,
            tags=["newsflow", "stories"],
            description="assign duplicates and stories to the articles topic until the lag is zero",
        )
    )
    deployments.append(
        ingest_all.to_deployment(
            name="backfill",
            concurrency_limit=1,
            tags=["newsflow", "ingest"],
            description="one run of every enabled source, one after the other",
        )
    )
    return deployments
