"""``newsflow search "QUERY" [filters] [--facets] [--json]``: full-text and faceted search."""

from __future__ import annotations

import re
from typing import Annotated

import typer
from elastic_transport import TransportError
from elasticsearch import ApiError, Elasticsearch
from pydantic import ValidationError
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from indexing.search import MAX_SIZE, SearchFailed, SearchRequest, SearchResult, Sort, search
from ingest.entity_linking import place_id
from ingest.gazetteer import get_gazetteer
from ingest.place_resolution import resolve_places
from schemas.settings import get_settings

console = Console()
notes = Console(stderr=True)


def parse_near(value: str) -> tuple[float, float, float]:
    """``"LAT,LON,KM"`` -> (lat, lon, km), or a typer error saying what is wrong."""
    try:
        lat, lon, km = (float(part) for part in value.split(","))
    except ValueError as exc:
        raise typer.BadParameter(f"expected LAT,LON,KM (e.g. 48.85,2.35,50), got {value!r}") from exc
    if not (-90 <= lat <= 90 and -180 <= lon <= 180 and km > 0):
        raise typer.BadParameter(f"latitude -90..90, longitude -180..180, km > 0: got {value!r}")
    return lat, lon, km


def place_id_of(name: str) -> str:
    """The id of the place ``name`` means on its own (the gazetteer's priors: "Paris" is Paris, France)."""
    place = resolve_places(get_gazetteer(), [name]).get(name)
    if place is None:
        raise typer.BadParameter(f"{name!r} is not a place the gazetteer knows")
    where = ", ".join(part for part in (place.kind, place.country) if part)
    notes.print(f"place: {escape(place.name)} ({where}, GeoNames {place.geonames_id})")
    return place_id(place)


def _emphasis(fragment: str) -> str:
    """ES highlight markup (``<em>``, HTML-escaped text) as rich markup."""
    text = escape(fragment).replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
    text = text.replace("&quot;", '"').replace("&#39;", "'").replace("&#x27;", "'")
    return re.sub(r"<em>(.*?)</em>", r"[bold yellow]\1[/bold yellow]", text)


def print_result(result: SearchResult) -> None:
    table = Table(title=f"{result.total_label()} articles", show_lines=True)
    for column in ("score", "published", "source", "title / highlights"):
        table.add_column(column)
    for hit in result.hits:
        title = _emphasis(hit.highlight["title"][0]) if "title" in hit.highlight else escape(hit.title or "")
        snippets = " … ".join(_emphasis(f) for f in hit.highlight.get("text", []))
        copies = f"\n+{hit.copies} copies ({escape(', '.join(hit.copy_sources))})" if hit.copies else ""
        table.add_row(
            f"{hit.score:.2f}" if hit.score is not None else "",
            (hit.published_at or "")[:10],
            escape(hit.source.get("domain", "")) + copies,
            f"[bold]{title}[/bold]\n{escape(hit.url)}" + (f"\n{snippets}" if snippets else ""),
        )
    console.print(table)
    for name, buckets in result.facets.items():
        sampled = result.facets_sample
        facet = Table(title=name if sampled is None else f"{name} (≈: counted on a {sampled:.1%} sample)")
        facet.add_column("value")
        facet.add_column("count", justify="right")
        for bucket in buckets:
            value = escape(bucket.value) + (f" [dim]{escape(bucket.id)}[/dim]" if bucket.id else "")
            facet.add_row(value, str(bucket.count))
        console.print(facet)


def search_command(
    query: str = typer.Argument("", help='Words, "phrases", -excluded; empty matches everything.'),
    person: str | None = typer.Option(None, "--person", help="Only articles naming this person."),
    org: str | None = typer.Option(None, "--org", help="Only articles naming this organisation."),
    location: str | None = typer.Option(None, "--location", help="Only articles naming this place."),
    place: str | None = typer.Option(
        None, "--place", help="Only articles about this gazetteer place, any spelling (Kiev = Kyiv = Kiew)."
    ),
    near: str | None = typer.Option(None, "--near", help="LAT,LON,KM: articles naming a place within KM."),
    source: str | None = typer.Option(None, "--source", help="Source domain (or name)."),
    lang: str | None = typer.Option(None, "--lang", help="ISO 639-1 language code, e.g. en."),
    story: str | None = typer.Option(None, "--story", help="Only articles of this story (its id)."),
    all_copies: bool = typer.Option(False, "--all", help="Show duplicate copies too (default: originals)."),
    since: str | None = typer.Option(None, "--since", help="Published at or after (2024-05-01, now-7d)."),
    until: str | None = typer.Option(None, "--until", help="Published at or before."),
    sort: Annotated[Sort, typer.Option("--sort", help="relevance or date (newest first).")] = "relevance",
    size: int = typer.Option(10, "--size", min=0, max=MAX_SIZE, help="How many hits."),
    facets: bool = typer.Option(False, "--facets", help="Counts per person, organisation, place, ..."),
    exact: bool = typer.Option(
        False, "--exact", help="Count every match and facet exactly (default on a big index: ≈ estimates)."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print the result as JSON."),
) -> None:
    """Search the articles index."""
    settings = get_settings()
    try:
        request = SearchRequest(
            query=query,
            person=person,
            org=org,
            location=location,
            source=source,
            lang=lang,
            story=story,
            all_copies=all_copies,
            since=since,
            until=until,
            place_id=place_id_of(place) if place else None,
            near=parse_near(near) if near else None,
            sort=sort,
            size=size,
            facets=facets,
            exact=exact,
        )
    except ValidationError as exc:
        for error in exc.errors():
            what = "QUERY" if error["loc"] == ("query",) else "--" + ".".join(map(str, error["loc"]))
            console.print(f"[red]{what}: {escape(error['msg'].removeprefix('Value error, '))}[/red]")
        raise typer.Exit(2) from None
    try:
        result = search(Elasticsearch(settings.es_url), settings.index_alias, request)
    except (SearchFailed, ApiError) as exc:
        console.print(f"[red]Elasticsearch refused the search: {escape(str(exc))}[/red]")
        raise typer.Exit(2) from exc
    except TransportError as exc:
        console.print(
            f"[red]Elasticsearch is unreachable at {settings.es_url}: {exc}[/red] "
            "Start it with `newsflow stack up` or set NEWSFLOW_ES_URL."
        )
        raise typer.Exit(2) from exc
    if as_json:
        print(result.model_dump_json(indent=2))
    else:
        print_result(result)
