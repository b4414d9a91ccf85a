"""``newsflow serve``, ``run SOURCE``, ``deploy --pool``, ``worker --pool`` and ``demo``: the Prefect side
of the CLI."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated

import httpx
import typer
from rich.console import Console

from flows.cli_sources import DEFAULT_WORKERS, ingest_command
from flows.prefect_env import prefect_answers, use_configured_server
from schemas.settings import REPO_ROOT, get_settings

console = Console()


def serve_command(
    limit: int = typer.Option(0, "--limit", help="At most this many flow runs at once (0: no limit)."),
) -> None:
    """Serve every source's deployment on its schedule, the indexer and the backfill, until Ctrl-C."""
    settings = get_settings()
    use_configured_server(settings)
    from prefect import serve

    from flows.deployments import all_deployments
    from flows.zombies import crash_silent_runs, ensure_zombie_automation
    from ingest.sources.config import load_sources

    ensure_zombie_automation()
    crash_silent_runs(settings.api_url)
    deployments = all_deployments(load_sources(settings.sources_file))
    console.print(f"serving {len(deployments)} deployments against {settings.prefect_url}")
    serve(*deployments, limit=limit or None)


def _require_prefect() -> None:
    settings = get_settings()
    use_configured_server(settings)
    if not prefect_answers(settings):
        console.print(
            f"[red]Prefect is unreachable at {settings.prefect_url}. Start it with `newsflow stack up` or "
            f"set NEWSFLOW_PREFECT_URL.[/red]"
        )
        raise typer.Exit(1)


def deploy_command(
    sources: Annotated[
        list[str] | None, typer.Argument(help="Source names (default: every enabled source).")
    ] = None,
    pool: str = typer.Option(..., "--pool", help="Prefect work pool (created as a process pool if missing)."),
    queue: str | None = typer.Option(
        None, "--queue", help="Work queue of the pool: the machine whose worker polls it runs these sources."
    ),
    schedule: bool = typer.Option(
        True, "--schedule/--no-schedule", help="The sources' schedules from sources.yaml, or on demand only."
    ),
    home: Annotated[
        Path, typer.Option("--home", help="This repository's path on the worker machines.")
    ] = REPO_ROOT,
) -> None:
    """Register sources' ingestion on a work pool, for `newsflow worker` on other machines.

    Keep each source on one queue (one machine): its seen-store lives in that machine's data dir."""
    _require_prefect()
    from flows.deployments import deployment_name, ensure_work_pool, pool_deployment
    from flows.zombies import ensure_zombie_automation
    from ingest.sources.config import SourcesConfigError, find_source, load_sources

    settings = get_settings()
    configured = load_sources(settings.sources_file)
    try:
        chosen = [find_source(configured, name) for name in sources] if sources else configured
    except SourcesConfigError as exc:
        console.print(f"[red]{exc}[/red]")
        raise typer.Exit(1) from None
    chosen = [source for source in chosen if source.enabled]
    if not chosen:
        console.print("[red]no enabled source to deploy[/red]")
        raise typer.Exit(1)
    try:
        ensure_work_pool(pool)
    except ValueError as exc:
        console.print(f"[red]{exc}[/red]")
        raise typer.Exit(1) from None
    ensure_zombie_automation()
    for source in chosen:
        pool_deployment(source, pool, queue, scheduled=schedule, home=home).apply()
        where = f"{pool}/{queue}" if queue else pool
        console.print(f"{deployment_name(source)} -> work pool {where}")


def worker_command(
    pool: str = typer.Option(..., "--pool", help="The work pool to take flow runs from."),
    queue: Annotated[
        list[str] | None, typer.Option("--queue", help="Only these work queues of the pool.")
    ] = None,
    limit: int = typer.Option(0, "--limit", help="At most this many flow runs at once (0: no limit)."),
) -> None:
    """Run flow runs of a work pool on this machine (`prefect worker start --type process`), until Ctrl-C.

    The flow runs get this process's environment: NEWSFLOW_* (Kafka, Elasticsearch, data dir) and the
    Prefect server from NEWSFLOW_PREFECT_URL."""
    _require_prefect()
    from flows.zombies import crash_silent_runs, ensure_zombie_automation

    ensure_zombie_automation()
    crash_silent_runs(get_settings().api_url)
    args = [sys.executable, "-m", "prefect", "worker", "start", "--pool", pool, "--type", "process"]
    for name in queue or []:
        args += ["--work-queue", name]
    if limit:
        args += ["--limit", str(limit)]
    sys.stdout.flush()
    os.execv(sys.executable, args)  # the worker takes this process's place: signals reach it directly


def run_command(
    source: str = typer.Argument(..., help="A source name from sources.yaml."),
    workers: int = typer.Option(0, "--workers", help="Extraction worker processes (0: all cores)."),
) -> None:
    """Run the ingest-source flow once for one source (recorded in Prefect), then exit.

    With Prefect unreachable the source is ingested all the same, without a recorded flow run."""
    settings = get_settings()
    use_configured_server(settings)
    if not prefect_answers(settings):
        console.print(
            f"[yellow]Prefect is unreachable at {settings.prefect_url}: ingesting {source} without a "
            f"recorded flow run. Start it with `newsflow stack up` or set NEWSFLOW_PREFECT_URL.[/yellow]"
        )
        ingest_command(source, workers=workers or DEFAULT_WORKERS)
        return
    from prefect import tags

    from flows.ingest_flow import ingest_source
    from flows.zombies import HEARTBEAT_TAG, crash_silent_runs, ensure_zombie_automation

    ensure_zombie_automation()
    crash_silent_runs(settings.api_url)
    try:
        with tags(HEARTBEAT_TAG):
            state = ingest_source(source, workers, return_state=True)
    except httpx.HTTPError as exc:  # the server went away before the run's final state reached it
        console.print(
            f"[red]{source}: Prefect at {settings.prefect_url} went away during the run "
            f"({type(exc).__name__}); the articles went on to Kafka (summary in the log above), the run "
            f"is not recorded. Start it with `newsflow stack up`.[/red]"
        )
        raise typer.Exit(1) from None
    console.print(f"{source}: {state.type.value} {state.message or ''}")
    if not state.is_completed():
        raise typer.Exit(1)


def demo_command() -> None:
    """Stack up, the simulated site, one run of each demo source, indexing, a faceted search."""
    settings = get_settings()
    use_configured_server(settings)
    from flows.demo import run_demo

    try:
        completed = run_demo(settings, console)
    except (RuntimeError, TimeoutError) as exc:  # StackError included: the message says what to do
        console.print(
            f"[red]demo stopped: {exc}[/red]\nLogs: `newsflow stack logs SERVICE`, "
            f"{settings.data_dir / 'logs'}"
        )
        raise typer.Exit(1) from exc
    if not completed:
        console.print("[red]some runs did not complete: open their links above in the Prefect UI[/red]")
        raise typer.Exit(1)
