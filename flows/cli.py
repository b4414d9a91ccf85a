"""The ``newsflow`` command: one entry point, each command group lives beside what it drives."""

from __future__ import annotations

import typer

app = typer.Typer(no_args_is_help=True, add_completion=False, help="newsflow: news ingestion and search")


if __name__ == "__main__":
    app()
