"""``newsflow serve``, ``newsflow run SOURCE`` and ``newsflow demo``: the Prefect side of the CLI."""

from __future__ import annotations

import httpx
import typer
from rich.console import Console

from flows.cli_sources import DEFAULT_WORKERS, ingest_command
from flows.prefect_env import prefect_answers, use_configured_server
from schemas.settings import get_settings

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
