"""``newsflow sources check [FILE]`` and ``newsflow ingest SOURCE``: one ingestion run, no Prefect."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from ingest.fetch.ssrf import AllowList
from ingest.sources import vet
from ingest.sources.config import SourceConfig, SourcesConfigError, find_source, load_sources
from schemas.settings import get_settings

if TYPE_CHECKING:
    from ingest.report import RunReport

app = typer.Typer(help="Sources of articles (sources.yaml).")
console = Console(stderr=True)
# One core stays with the event loop (fetching, producing); the others build articles.
DEFAULT_WORKERS = max(1, (os.cpu_count() or 2) - 1)


def _load(path: Path | None) -> list[SourceConfig]:
    try:
        return load_sources(path or get_settings().sources_file)
    except SourcesConfigError as exc:
        console.print(f"[red]invalid sources file[/red]\n{exc}")
        raise typer.Exit(2) from None


@app.command("check")
def check(
    file: Annotated[Path | None, typer.Argument(help="sources.yaml (default: NEWSFLOW_SOURCES_FILE)")] = None,
) -> None:
    """Validate a sources file and list its sources; fail on URLs the fetcher would refuse (SSRF guard)."""
    sources = _load(file)
    table = Table("name", "type", "location", "schedule", "language", "tags", "enabled")
    for s in sources:
        schedule = s.cron if s.cron else f"every {s.interval_s} s"
        table.add_row(
            s.name, s.type, s.location, schedule, s.language or "-", ",".join(s.tags), str(s.enabled)
        )
    Console().print(table)
    refused = vet.refused(sources, AllowList.parse(get_settings().fetch_allow_hosts))
    if refused:
        console.print("[red]" + escape("\n".join(refused)) + "[/red]")
        raise typer.Exit(2)
    console.print(f"[green]{len(sources)} sources OK[/green]")


def _print_report(report: RunReport) -> None:
    table = Table("count", "value", title=f"run of {report.source}")
    for name in ("discovered", "fetched", "extracted", "published", "new", "changed", "unchanged"):
        table.add_row(name, str(getattr(report, name)))
    table.add_row("dead-lettered", str(report.dead_lettered_total))
    for (stage, reason), n in sorted(report.dead_lettered.items()):
        table.add_row(f"  {stage}: {reason}", str(n))
    if report.not_processed:
        table.add_row("not processed (next run)", str(report.not_processed))
    if report.dlq_failed:
        table.add_row("dead letters not acknowledged", str(report.dlq_failed))
    if report.not_modified:
        table.add_row("source not modified (304)", "yes")
    for stage, seconds in report.timings_s.items():
        table.add_row(f"time {stage}", f"{seconds:.2f} s")
    for host, mean_s, requests in report.slowest_hosts:
        table.add_row(f"slow host {host}", f"{mean_s * 1000:.0f} ms x {requests}")
    Console().print(table)


def ingest_command(
    source: Annotated[str, typer.Argument(help="source name from sources.yaml")],
    file: Annotated[Path | None, typer.Option("--file", "-f", help="sources.yaml to read")] = None,
    workers: Annotated[int, typer.Option(help="build worker processes")] = DEFAULT_WORKERS,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="log what the run does")] = False,
) -> None:
    """Run one source once: discover, fetch, extract, publish to Kafka (no Prefect)."""
    from ingest import run_log
    from ingest.failure_policy import RunFailed, verdict
    from ingest.run import run_source  # heavy (Kafka, the NLP core): only when ingesting

    run_log.configure(verbose)

    try:
        config = find_source(_load(file), source)
    except SourcesConfigError as exc:
        console.print(f"[red]{exc}[/red]")
        raise typer.Exit(2) from None
    settings = get_settings()
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.completed}/{task.total}"),
        TimeElapsedColumn(),
        console=console,
    ) as progress:
        task = progress.add_task(f"ingesting {source}", total=None)

        def show(report: RunReport) -> None:
            done = report.published + report.unchanged + report.dead_lettered_total
            progress.update(task, total=report.discovered, completed=done)

        try:
            report = run_source(config, settings, workers, progress=show)
        except RunFailed as exc:  # Kafka unreachable: the message says what to do
            console.print(f"[red]{exc}[/red]")
            raise typer.Exit(1) from None
    _print_report(report)
    failure = verdict(report)
    if failure is not None:
        console.print(f"[red]{failure}[/red]")
        raise typer.Exit(1)
