"""What the templates show, built from a search result and the URL state (pure, no I/O).

Facets come from ``indexing.search.FACET_FIELDS``: a facet added there appears on the page with its
counts and chips; FACET_LABELS only gives it a nicer heading.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from indexing.documents import ENTITY_FIELDS, ID_SEPARATOR
from indexing.search import FACET_FIELDS, HISTOGRAM_FACET, SearchHit, SearchResult
from web.histogram import Chart, chart
from web.markup import NamedEntity, highlight, mark_entities, safe_href
from web.state import SearchState

FACET_LABELS: dict[str, str] = {
    "persons": "People",
    "organisations": "Organisations",
    "locations": "Places",
    "sources": "Sources",
    "languages": "Languages",
    "authors": "Authors",
    "person_ids": "People (linked)",
    "org_ids": "Organisations (linked)",
    "place_ids": "Places (gazetteer)",
}
# Facets the page does not list: story ids are opaque (an article's page links its story instead).
PAGE_HIDDEN_FACETS = frozenset({"stories"})
# The entity chips under each result, and the facet each chip filters on.
CHIP_FACETS = ("persons", "organisations", "locations")
# 3 chips per kind: enough to see who and where at a glance; the article page lists them all.
CHIPS_PER_KIND = 3
HIT_FIELDS = ["language", *CHIP_FACETS]
SEARCH_PATH = "/"


def when(value: str | None) -> str:
    """An index date for people: ``2024-11-18T09:30:00+00:00`` -> ``2024-11-18 09:30``; a date alone when
    the time is midnight (most pages give only the day)."""
    if not value:
        return "unknown"
    day, _, time = value.partition("T")
    return day if time[:5] in ("", "00:00") else f"{day} {time[:5]}"


def facet_label(name: str) -> str:
    return FACET_LABELS.get(name, name.replace("_", " ").capitalize())


def shown_value(value: str) -> str:
    """An id facet's stored value is ``<id>|<name>``: a reader sees the name."""
    return value.split(ID_SEPARATOR, 1)[-1]


@dataclass(frozen=True)
class Link:
    text: str
    href: str
    count: int | None = None
    selected: bool = False
    kind: str = ""


@dataclass(frozen=True)
class Facet:
    name: str
    label: str
    values: list[Link]


@dataclass(frozen=True)
class HitView:
    id: str
    title: Any  # Markup
    snippets: list[Any]
    url: str
    href: str | None
    domain: str
    published: str
    language: str
    chips: list[Link]


@dataclass(frozen=True)
class SearchPage:
    state: SearchState
    total: int
    hits: list[HitView]
    facets: list[Facet]
    chips: list[Link]  # the active filters, each a link that removes it
    chart: Chart | None
    compare_total: int | None
    next_href: str | None
    first_href: str | None
    sort_links: list[Link]
    export_max_rows: int
    exports: dict[str, str] = field(default_factory=dict)
    # "1,234", "≈ 480,000" or "≥ 10,000" (SearchResult.total_label); facet counts from a sample get "≈".
    total_label: str = ""
    compare_total_label: str = ""
    facets_approximate: bool = False


def _url(state: SearchState) -> str:
    return state.url(SEARCH_PATH)


def hit_view(hit: SearchHit, state: SearchState) -> HitView:
    title = highlight(hit.highlight["title"][0]) if "title" in hit.highlight else highlight(hit.title or "")
    chips = [
        Link(value, _url(state.with_term(kind, value)), kind=kind)
        for kind in CHIP_FACETS
        for value in (hit.fields.get(kind) or [])[:CHIPS_PER_KIND]
    ]
    return HitView(
        id=hit.id,
        title=title if str(title) else "(no title)",
        snippets=[highlight(fragment) for fragment in hit.highlight.get("text", [])],
        url=hit.url,
        href=safe_href(hit.url),
        domain=hit.source.get("domain", ""),
        published=(hit.published_at or "")[:10],
        language=hit.fields.get("language") or "",
        chips=chips,
    )


def facets_view(result: SearchResult, state: SearchState) -> list[Facet]:
    facets = []
    for name in FACET_FIELDS:
        if name in PAGE_HIDDEN_FACETS:
            continue
        selected = state.terms.get(name, ())
        # the value a selection filters on: an id facet's stored ``<id>|<name>``, else the name itself
        counts = {
            (f"{bucket.id}{ID_SEPARATOR}{bucket.value}" if bucket.id else bucket.value): bucket.count
            for bucket in result.facets.get(name, [])
        }
        values = [
            Link(
                shown_value(value), _url(state.without_term(name, value)), counts.get(value, 0), selected=True
            )
            for value in selected
        ]
        values += [
            Link(shown_value(value), _url(state.with_term(name, value)), count)
            for value, count in counts.items()
            if value not in selected
        ]
        if values:
            facets.append(Facet(name, facet_label(name), values))
    return facets


def active_chips(state: SearchState) -> list[Link]:
    chips = [
        Link(f"{facet_label(name)}: {shown_value(value)}", _url(state.without_term(name, value)), kind=name)
        for name, values in state.terms.items()
        for value in values
    ]
    if state.since or state.until:
        dates = f"{state.since or '…'} – {state.until or '…'}"
        chips.append(Link(f"Dates: {dates}", _url(state.with_dates(None, None)), kind="dates"))
    return chips


def search_page(
    state: SearchState, result: SearchResult, compare: SearchResult | None, size: int, export_max_rows: int
) -> SearchPage:
    series = [result.facets.get(HISTOGRAM_FACET, [])]
    if compare is not None:
        series.append(compare.facets.get(HISTOGRAM_FACET, []))
    last = result.hits[-1] if result.hits else None
    more = last is not None and len(result.hits) == size and last.sort is not None
    export = state.first_page().url("")
    return SearchPage(
        state=state,
        total=result.total,
        hits=[hit_view(hit, state) for hit in result.hits],
        facets=facets_view(result, state),
        chips=active_chips(state),
        chart=chart(series, state.histogram_interval(), lambda a, b: _url(state.with_dates(a, b))),
        compare_total=compare.total if compare is not None else None,
        next_href=_url(state.next_page(last.sort)) if more and last and last.sort else None,
        first_href=_url(state.first_page()) if state.page > 1 else None,
        sort_links=[
            Link(label, _url(state.with_sort(sort)), selected=state.sort == sort)
            for sort, label in (("relevance", "relevance"), ("date", "newest first"))
        ],
        export_max_rows=export_max_rows,
        exports={kind: f"/export.{kind}{export}" for kind in ("csv", "jsonl")},
        total_label=result.total_label(),
        compare_total_label=compare.total_label() if compare is not None else "",
        facets_approximate=result.facets_sample is not None,
    )


@dataclass(frozen=True)
class ArticlePage:
    doc: dict[str, Any]
    paragraphs: list[Any]
    href: str | None
    canonical_href: str | None
    entities: list[Facet]
    mentioned_dates: list[str]
    flow_run_href: str | None
    related: dict[str, list[dict[str, Any]]]


def article_page(
    doc: dict[str, Any], related: dict[str, list[dict[str, Any]]], prefect_url: str
) -> ArticlePage:
    named = [
        NamedEntity(e["text"], ENTITY_FIELDS[e["label"]], tuple(e.get("forms") or ()))
        for e in doc.get("entities") or []
        if e.get("label") in ENTITY_FIELDS and e.get("text")
    ]
    kinds: dict[str, list[Link]] = {}
    for entity in named:
        links = kinds.setdefault(entity.kind, [])
        if entity.kind in FACET_FIELDS and all(link.text != entity.name for link in links):
            links.append(
                Link(entity.name, _url(SearchState().with_term(entity.kind, entity.name)), kind=entity.kind)
            )
    run_id = (doc.get("ingest_run") or {}).get("flow_run_id")
    return ArticlePage(
        doc=doc,
        paragraphs=mark_entities(doc.get("text") or "", named),
        href=safe_href(doc.get("url")),
        canonical_href=safe_href(doc.get("canonical_url")),
        entities=[Facet(kind, facet_label(kind), links) for kind, links in kinds.items() if links],
        mentioned_dates=list(doc.get("mentioned_dates") or []),
        flow_run_href=f"{prefect_url.rstrip('/')}/runs/flow-run/{run_id}" if _is_uuid(run_id) else None,
        related=related,
    )


def _is_uuid(value: object) -> bool:
    return isinstance(value, str) and len(value) == 36 and set(value) <= set("0123456789abcdef-")
