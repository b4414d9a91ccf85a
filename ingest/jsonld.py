"""The article node of a page's JSON-LD (schema.org), flattened into the few fields newsflow reads.

Pages describe themselves in ``<script type="application/ld+json">`` blocks: a single object, a list,
or an ``@graph`` whose nodes refer to each other by ``@id`` (an author given as ``{"@id": ...}`` is
the Person node with that id). The article node is the first whose ``@type`` is an article type.
"""

from __future__ import annotations

import html
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from lxml import etree
from lxml.html import HtmlElement

ARTICLE_TYPES = frozenset(
    {
        "Article", "NewsArticle", "ReportageNewsArticle", "AnalysisNewsArticle", "OpinionNewsArticle",
        "BackgroundNewsArticle", "ReviewNewsArticle", "AskPublicNewsArticle", "BlogPosting",
        "LiveBlogPosting", "Report", "ScholarlyArticle", "TechArticle", "SatiricalArticle", "Review",
    }
)  # fmt: skip
"""schema.org types whose node describes the article itself."""

_TEXT = etree.XPath("text()")
_ORGANISATION_TYPES = frozenset({"Organization", "NewsMediaOrganization", "Corporation"})

# A JSON-LD block larger than this is a product catalogue or an embedded data dump, not page metadata;
# parsing it would cost more than the rest of the page (the largest article block in newsbench is ~40 KB).
MAX_BLOCK_CHARS = 500_000


@dataclass(frozen=True)
class LinkedData:
    """What the JSON-LD says about the article (empty fields when it says nothing)."""

    headline: str | None = None
    authors: tuple[tuple[str, bool], ...] = ()  # (name, is a person)
    published: str | None = None
    modified: str | None = None
    publisher: str | None = None
    article_type: str | None = None  # the article node's @type, e.g. "NewsArticle"
    page_types: frozenset[str] = frozenset()  # every @type on the page


def _types(node: dict[str, Any]) -> set[str]:
    value = node.get("@type")
    values = value if isinstance(value, list) else [value]
    return {v.rsplit("/", 1)[-1] for v in values if isinstance(v, str)}


def _nodes(data: Any) -> Iterator[dict[str, Any]]:
    """Every object of a block, depth-first: top-level lists, ``@graph`` members and nested values."""
    if isinstance(data, list):
        for item in data:
            yield from _nodes(item)
    elif isinstance(data, dict):
        yield data
        for value in data.values():
            if isinstance(value, dict | list):
                yield from _nodes(value)


def _text(value: Any) -> str | None:
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, dict):
        value = value.get("name") or value.get("@value")
    if not isinstance(value, str):
        return None
    return " ".join(html.unescape(value).split()) or None


def _authors(value: Any, by_id: dict[str, dict[str, Any]]) -> tuple[tuple[str, bool], ...]:
    items = value if isinstance(value, list) else [value]
    found = []
    for item in items:
        if isinstance(item, dict) and "name" not in item and item.get("@id") in by_id:
            item = by_id[item["@id"]]
        name = _text(item)
        if name:
            is_person = not isinstance(item, dict) or not (_types(item) & _ORGANISATION_TYPES)
            found.append((name, is_person))
    return tuple(found)


def read_linked_data(tree: HtmlElement, scripts: Sequence[HtmlElement] | None = None) -> LinkedData:
    """The article node of the page's JSON-LD blocks; broken blocks are skipped.

    ``scripts``: the page's ``<script>`` elements when the caller has them already (one walk over the
    page for several lookups, ``ingest/metadata.py``); else they are looked up."""
    if scripts is None:
        blocks = tree.xpath('//script[@type="application/ld+json"]/text()')
    else:
        blocks = [text for s in scripts if s.get("type") == "application/ld+json" for text in _TEXT(s)]
    nodes: list[dict[str, Any]] = []
    for script in blocks:
        if len(script) > MAX_BLOCK_CHARS:
            continue
        try:
            nodes += _nodes(json.loads(script, strict=False))
        except ValueError:
            continue
    by_id = {n["@id"]: n for n in nodes if isinstance(n.get("@id"), str) and len(n) > 1}
    page_types = frozenset(t for n in nodes for t in _types(n))
    article = next((n for n in nodes if _types(n) & ARTICLE_TYPES), None)
    if article is None:
        return LinkedData(page_types=page_types)
    publisher = article.get("publisher")
    if isinstance(publisher, dict) and "name" not in publisher:
        publisher = by_id.get(publisher.get("@id"), publisher)
    return LinkedData(
        headline=_text(article.get("headline")) or _text(article.get("name")),
        authors=_authors(article.get("author"), by_id),
        published=_text(article.get("datePublished")),
        modified=_text(article.get("dateModified")),
        publisher=_text(publisher),
        article_type=sorted(_types(article) & ARTICLE_TYPES)[0],
        page_types=page_types,
    )
