"""``newsflow stories [--since 24h] [--json]``, ``newsflow stories run``: the stories stage and its output."""

from __future__ import annotations

import logging

import typer
from confluent_kafka import KafkaException
from elasticsearch import Elasticsearch
from rich.console import Console
from rich.logging import RichHandler
from rich.markup import escape
from rich.table import Table

from indexing.admin import reset_to_beginning
from indexing.stories.listing import DEFAULT_SIZE, StorySummary, list_stories
from indexing.stories.stage import StoriesReport, run_stories
from schemas.settings import get_settings

app = typer.Typer(help="Duplicates and stories: list the stories, or run the stage that assigns them.")
console = Console()
errors = Console(stderr=True)


def print_stories(stories: list[StorySummary]) -> None:
    table = Table(title=f"{len(stories)} stories", show_lines=True)
    for column in ("articles", "sources", "seen", "story"):
        table.add_column(column)
    for story in stories:
        seen = f"{story.first_seen[:16]}\n{story.last_seen[:16]}"
        entities = f"\n[dim]{escape(', '.join(story.top_entities[:6]))}[/dim]" if story.top_entities else ""
        table.add_row(
            str(story.article_count),
            f"{story.source_count}\n" + escape("\n".join(story.sources[:6])),
            seen,
            f"[bold]{escape(story.title)}[/bold]\n{escape(story.summary)}{entities}\n[dim]{story.story_id}[/dim]",
        )
    console.print(table)


@app.callback(invoke_without_command=True)
def stories(
    ctx: typer.Context,
    since: str | None = typer.Option(None, "--since", help="Grown within (24h, 7d) or since a date."),
    size: int = typer.Option(DEFAULT_SIZE, "--size", min=1, help="How many stories."),
    min_articles: int = typer.Option(2, "--min-articles", min=1, help="Only stories this large."),
    as_json: bool = typer.Option(False, "--json", help="Print the stories as JSON."),
) -> None:
    """List the largest, most recent stories with their sources."""
    if ctx.invoked_subcommand is not None:
        return
    settings = get_settings()
    found = list_stories(Elasticsearch(settings.es_url), settings.stories_index, since, size, min_articles)
    if as_json:
        print("[" + ",".join(s.model_dump_json() for s in found) + "]")
    else:
        print_stories(found)


def _print_report(report: StoriesReport) -> None:
    errors.print(
        f"assigned {report.assigned} ({report.duplicates} copies, {report.new_stories} new stories), "
        f"restored {report.restored}, dead-lettered {report.dead_lettered}, skipped {report.skipped} "
        f"in {report.elapsed_s:.1f} s; lag {report.lag}"
    )


@app.command("run")
def run_command(
    from_beginning: bool = typer.Option(
        False, "--from-beginning", help="Reset the group to the start of the topic first (replay)."
    ),
    until_caught_up: bool = typer.Option(
        False, "--until-caught-up", help="Stop once everything in the topic now is assigned (micro-batch)."
    ),
) -> None:
    """Run the stories stage: until SIGTERM/Ctrl-C, or until caught up."""
    logging.basicConfig(
        level=logging.INFO, format="%(message)s", handlers=[RichHandler(console=errors, show_path=False)]
    )
    logging.getLogger("elastic_transport").setLevel(logging.WARNING)
    settings = get_settings()
    if from_beginning:
        try:
            reset_to_beginning(settings, settings.stories_group, settings.articles_topic)
        except KafkaException as exc:
            errors.print(f"[red]cannot reset {settings.stories_group}: {exc}[/red] (stop the stage first)")
            raise typer.Exit(2) from exc
    _print_report(run_stories(settings, until_caught_up=until_caught_up))
