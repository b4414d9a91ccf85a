"""The ``newsflow`` command: one entry point, each command group lives beside what it drives."""

from __future__ import annotations

import typer

from flows import (
    cli_entities,
    cli_extract,
    cli_flows,
    cli_index,
    cli_search,
    cli_sources,
    cli_stack,
    cli_stories,
    cli_web,
)

app = typer.Typer(no_args_is_help=True, add_completion=False, help="newsflow: news ingestion and search")
app.add_typer(cli_stack.app, name="stack")
app.add_typer(cli_index.app, name="index")
app.add_typer(cli_entities.app, name="entities")
app.add_typer(cli_stories.app, name="stories")
app.command("search")(cli_search.search_command)
app.add_typer(cli_sources.app, name="sources")
app.command("ingest")(cli_sources.ingest_command)
app.command("extract")(cli_extract.extract_command)
app.command("serve")(cli_flows.serve_command)
app.command("run")(cli_flows.run_command)
app.command("deploy")(cli_flows.deploy_command)
app.command("worker")(cli_flows.worker_command)
app.command("demo")(cli_flows.demo_command)
app.command("web")(cli_web.web_command)


if __name__ == "__main__":
    app()
