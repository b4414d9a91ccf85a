"""``newsflow index [--from-beginning] [--until-caught-up]`` and ``newsflow index rebuild``."""

from __future__ import annotations

import logging

import typer
from confluent_kafka import KafkaException
from rich.console import Console
from rich.logging import RichHandler

from indexing import admin, indexer, rebuild
from schemas.settings import get_settings

app = typer.Typer(help="Index article events from Kafka into Elasticsearch.")
console = Console(stderr=True)


def _logging() -> None:
    logging.basicConfig(
        level=logging.INFO, format="%(message)s", handlers=[RichHandler(console=console, show_path=False)]
    )
    logging.getLogger("elastic_transport").setLevel(logging.WARNING)


def _print_report(report: indexer.IndexReport) -> None:
    console.print(
        f"indexed {report.indexed}, dead-lettered {report.dead_lettered} in {report.elapsed_s:.1f} s "
        f"({report.docs_per_s:.0f} docs/s); lag {report.lag}"
    )


@app.callback(invoke_without_command=True)
def index(
    ctx: typer.Context,
    from_beginning: bool = typer.Option(
        False, "--from-beginning", help="Reset the group to the start of the topic first (replay)."
    ),
    until_caught_up: bool = typer.Option(
        False, "--until-caught-up", help="Stop once everything in the topic now is indexed (micro-batch)."
    ),
) -> None:
    """Run the indexer: until SIGTERM/Ctrl-C, or until caught up."""
    if ctx.invoked_subcommand is not None:
        return
    _logging()
    settings = get_settings()
    if from_beginning:
        try:
            admin.reset_to_beginning(settings, settings.indexer_group, settings.articles_topic)
        except KafkaException as exc:
            console.print(
                f"[red]cannot reset {settings.indexer_group}: {exc}[/red] (stop its running indexers first)"
            )
            raise typer.Exit(2) from exc
        console.print(f"group {settings.indexer_group} reset to the beginning of {settings.articles_topic}")
    run = indexer.run_until_caught_up if until_caught_up else indexer.run_forever
    report = run(settings)
    _print_report(report)


@app.command("rebuild")
def rebuild_command() -> None:
    """Fill the next index version from the whole topic, then swap the alias to it atomically."""
    _logging()
    result = rebuild.rebuild(get_settings())
    _print_report(result.before_swap)
    console.print(f"alias now on {result.new_index}; previous {result.old_indices} kept for rollback")
