"""``newsflow entities ...``: the entity id registry (docs/enrichment.md, "Ids and places")."""

from __future__ import annotations

import typer
from rich.console import Console

from ingest.entity_registry import EntityRegistry
from ingest.registry_rebuild import rebuild_registry
from schemas.settings import get_settings

app = typer.Typer(no_args_is_help=True, help="Entity ids: the canonical-name registry.")
console = Console()


@app.command("rebuild")
def rebuild_command(
    topic: str | None = typer.Option(None, "--topic", help="Topic to replay (default: the articles topic)."),
) -> None:
    """Refill the registry (data dir) from the ids carried by the events on the topic."""
    settings = get_settings()
    registry = EntityRegistry.in_data_dir(settings.data_dir)
    try:
        report = rebuild_registry(settings, registry, topic)
    finally:
        registry.close()
    console.print(
        f"replayed {report.events} events ({report.skipped} skipped as invalid): "
        f"{report.entities} person/org entities, {report.names} ids in {settings.data_dir}"
    )
