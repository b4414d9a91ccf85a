"""``newsflow stack up | down | status | logs``: the local Kafka, Elasticsearch and Prefect servers."""

from __future__ import annotations

import subprocess

import typer
from rich.console import Console
from rich.table import Table

from infra import stack as local_stack
from infra.cluster import ClusterShape
from schemas.settings import get_settings

app = typer.Typer(no_args_is_help=True, help="Run the local stack (Kafka, Elasticsearch, Prefect).")
console = Console()


@app.command()
def up(
    kafka_brokers: int = typer.Option(None, "--kafka-brokers", help="brokers (default: as last started, 1)"),
    es_nodes: int = typer.Option(
        None, "--es-nodes", help="Elasticsearch nodes (default: as last started, 1)"
    ),
) -> None:
    """Start every service that is not running and wait until each answers (a cluster with the options)."""
    settings = get_settings()
    try:
        shape = None
        if kafka_brokers is not None or es_nodes is not None:
            shape = ClusterShape(kafka_brokers or 1, es_nodes or 1)
        stack = local_stack.up(settings, log=console.print, shape=shape)
    except (local_stack.StackError, ValueError) as exc:
        console.print(f"[red]{exc}[/red]")
        raise typer.Exit(1) from exc
    _print_status()
    brokers = ",".join(svc.url for svc in stack if svc.name.startswith("kafka"))
    if brokers != settings.kafka_bootstrap:
        console.print(f"Clients should know every broker: export NEWSFLOW_KAFKA_BOOTSTRAP={brokers}")


@app.command()
def down() -> None:
    """Stop the demo's helpers (`newsflow serve`, the simulated site, the search page), then the services."""
    from flows.demo import serve_process, sim_site_process, web_process

    settings = get_settings()
    for proc in (serve_process(settings), sim_site_process(settings), web_process(settings)):
        if proc.stop():
            console.print(f"{proc.name}: stopped")
    local_stack.down(settings, log=console.print)


@app.command()
def status() -> None:
    """What runs, where it listens, and its memory."""
    rows = _print_status()
    if not all(row["healthy"] for row in rows):
        raise typer.Exit(3)


@app.command()
def logs(
    service: str = typer.Argument(..., help="kafka, elasticsearch or prefect (kafka-2... in a cluster)"),
    follow: bool = typer.Option(False, "--follow", "-f", help="keep printing new lines"),
    lines: int = typer.Option(50, "--lines", "-n"),
) -> None:
    """Print the end of one service's log."""
    try:
        path = local_stack.log_path(get_settings(), service)
    except local_stack.StackError as exc:
        console.print(f"[red]{exc}[/red]")
        raise typer.Exit(2) from exc
    subprocess.run(["tail", "-n", str(lines), *(["-F"] if follow else []), str(path)], check=False)


def _print_status() -> list[dict[str, object]]:
    rows = local_stack.status(get_settings())
    table = Table(title="newsflow local stack")
    for column in ("service", "state", "pid", "url", "rss_mb"):
        table.add_column(column)
    for row in rows:
        state = (
            "[green]up[/green]"
            if row["healthy"]
            else ("[yellow]starting[/yellow]" if row["pid"] else "[red]down[/red]")
        )
        table.add_row(str(row["service"]), state, str(row["pid"] or "-"), str(row["url"]), str(row["rss_mb"]))
    console.print(table)
    return rows
