"""Deployments: one per enabled source (its own schedule), the indexer, and the backfill.

``newsflow serve`` serves them all from one process against the configured Prefect server. A
source never overlaps itself: each deployment has ``concurrency_limit=1`` (a second scheduled run
waits until the first ends). A second ``newsflow serve`` process (same sources.yaml, same server)
shares the load: every serve process polls the server for the scheduled runs of the same
deployments, and the server lets exactly one of them move a run to PENDING, so each run executes
once. On several machines, use a work pool and workers instead: ``newsflow deploy --pool NAME``
(:func:`pool_deployment`) registers the sources' deployments on a Prefect ``process`` work pool, and
``newsflow worker --pool NAME`` on each machine runs what lands on it (``prefect.yaml`` does the same
with ``prefect deploy``).

The seen-store and the feed validators are files in ``NEWSFLOW_DATA_DIR`` on the machine that runs the
source, so a source must stay on one machine: each machine's worker polls its own work queue
(``--queue``), and each source is deployed to exactly one queue.
"""

from __future__ import annotations

from pathlib import Path

from prefect.deployments.runner import RunnerDeployment
from prefect.runner.storage import LocalStorage

from flows.index_flow import index_articles
from flows.ingest_flow import ingest_all, ingest_source
from flows.stories_flow import assign_stories
from flows.zombies import HEARTBEAT_TAG
from ingest.sources.config import SourceConfig
from schemas.settings import REPO_ROOT

# The micro-batch indexer runs every 30 s: a published article is searchable within ~30 s through
# Prefect alone; `newsflow index` (streaming) brings that to about a second.
INDEXER_INTERVAL_S = 30
INDEXER_DEPLOYMENT = "index-articles/indexer"
# The stories stage follows the indexer (it updates indexed articles): the same 30 s micro-batch.
STORIES_INTERVAL_S = 30
STORIES_DEPLOYMENT = "assign-stories/stories"
# The entrypoint relative to the repository, the same on every machine (Prefect would otherwise record
# a path relative to wherever `newsflow deploy` ran).
INGEST_ENTRYPOINT = "flows/ingest_flow.py:ingest_source"
# Work pools newsflow creates run each flow run as a local process of the worker's machine.
POOL_TYPE = "process"


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


def pool_deployment(
    source: SourceConfig,
    pool: str,
    queue: str | None = None,
    *,
    scheduled: bool = True,
    home: Path = REPO_ROOT,
) -> RunnerDeployment:
    """The source's deployment for workers of ``pool`` polling ``queue`` (the pool's default queue when
    None). Workers run it from ``home``, this repository at the same path on every machine; they pass
    their own environment (``NEWSFLOW_*``) on to the flow run. ``scheduled=False`` leaves out the
    source's schedule: runs are started on demand only."""
    deployment = source_deployment(source)
    if not scheduled:
        deployment.schedules = []
    deployment.work_pool_name, deployment.work_queue_name = pool, queue
    deployment.entrypoint = INGEST_ENTRYPOINT
    deployment.storage = LocalStorage(path=str(home))  # pull step: set_working_directory(home)
    return deployment


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


def ensure_work_pool(pool: str) -> None:
    """Create ``pool`` as a ``process`` work pool unless the server has it; a pool of another type is
    refused (its workers would not run newsflow's flows as local processes)."""
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.actions import WorkPoolCreate
    from prefect.exceptions import ObjectNotFound

    with get_client(sync_client=True) as client:
        try:
            existing = client.read_work_pool(pool)
        except ObjectNotFound:
            client.create_work_pool(WorkPoolCreate(name=pool, type=POOL_TYPE))
            return
    if existing.type != POOL_TYPE:
        raise ValueError(f"work pool {pool!r} is of type {existing.type!r}, not {POOL_TYPE!r}")
