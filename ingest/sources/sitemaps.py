"""Sitemaps -> candidates: news sitemaps (``news:publication_date``), plain ones (``lastmod``), indexes.

Parsing is pure (one document in, its URLs or child sitemaps out); ``discover.py`` fetches the
children within the bounds below. Entities are never resolved and the network is never touched
by the XML parser (billion-laughs / XXE).
"""

from __future__ import annotations

import gzip
import zlib
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urljoin, urlsplit

from lxml import etree

from ingest.page import Hints
from ingest.sources.candidate import Candidate
from ingest.sources.errors import SourceBroken

# An index of indexes of sitemaps (root = depth 0): the deepest layout seen in practice (large
# publishers split per year, then per month). Deeper is a loop or a trap.
MAX_SITEMAP_DEPTH = 2
# 50,000 URLs = the protocol's per-file limit. At polite crawling speed (~2 pages/s per host) one
# run would need ~7 h for that many, so more is pointless in a single run; newest are kept first.
MAX_SITEMAP_URLS = 50_000
# Child sitemaps fetched per run: bounds the requests a huge index can cost us.
MAX_SITEMAP_FILES = 100
# The protocol caps a sitemap at 50 MiB uncompressed; anything inflating past that is a gzip bomb.
MAX_SITEMAP_BYTES = 50 * 1024 * 1024

_GZIP_MAGIC = b"\x1f\x8b"


@dataclass(frozen=True)
class SitemapEntry:
    candidate: Candidate
    lastmod: datetime | None


@dataclass(frozen=True)
class SitemapPage:
    """One parsed sitemap document: either URL entries (urlset) or child sitemaps (index)."""

    entries: list[SitemapEntry]
    children: list[str]


def _local(tag: object) -> str:
    return etree.QName(tag).localname if isinstance(tag, str) else ""


def _child_text(element: etree._Element, *path: str) -> str | None:
    node = element
    for name in path:
        node = next((c for c in node if _local(c.tag) == name), None)
        if node is None:
            return None
    text = (node.text or "").strip()
    return text or None


def parse_w3c_datetime(value: str | None) -> datetime | None:
    """W3C datetime (``2024-05-01``, ``2024-05-01T10:00:00+02:00``, ``...Z``) -> aware UTC, or None."""
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)


def _inflate(body: bytes, url: str) -> bytes:
    if not body.startswith(_GZIP_MAGIC):
        return body
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        data = inflater.decompress(body, MAX_SITEMAP_BYTES + 1)
    except (zlib.error, gzip.BadGzipFile) as exc:
        raise SourceBroken("malformed_sitemap", f"{url}: bad gzip: {exc}") from exc
    if len(data) > MAX_SITEMAP_BYTES:
        raise SourceBroken("sitemap_too_large", f"{url}: inflates past {MAX_SITEMAP_BYTES} bytes")
    return data


def parse_sitemap(
    body: bytes, base_url: str, language: str | None = None, tags: tuple[str, ...] = ()
) -> SitemapPage:
    """Parse one sitemap or sitemap index; ``SourceBroken`` if it is neither."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False)
    try:
        root = etree.fromstring(_inflate(body, base_url), parser)
    except etree.XMLSyntaxError as exc:
        raise SourceBroken("malformed_sitemap", f"{base_url}: {exc}") from exc
    kind = _local(root.tag)
    if kind == "sitemapindex":
        children = [urljoin(base_url, loc) for s in root if (loc := _child_text(s, "loc"))]
        return SitemapPage([], [c for c in children if urlsplit(c).scheme in ("http", "https")])
    if kind != "urlset":
        raise SourceBroken("not_a_sitemap", f"{base_url}: root element <{kind}>")
    entries: list[SitemapEntry] = []
    for node in root:
        loc = _child_text(node, "loc")
        if not loc:
            continue
        url = urljoin(base_url, loc)
        if urlsplit(url).scheme not in ("http", "https"):
            continue
        keywords = _child_text(node, "news", "keywords")
        news_tags = tuple(k.strip() for k in keywords.split(",") if k.strip()) if keywords else ()
        news_language = _child_text(node, "news", "publication", "language")
        lastmod = parse_w3c_datetime(_child_text(node, "lastmod"))
        hints = Hints(
            title=_child_text(node, "news", "title"),
            published_at=parse_w3c_datetime(_child_text(node, "news", "publication_date")),
            modified_at=lastmod,
            language=(news_language[:2].lower() if news_language else None) or language,
            tags=tuple(dict.fromkeys(tags + news_tags)),
        )
        entries.append(SitemapEntry(Candidate(url, hints), lastmod))
    return SitemapPage(entries, [])


def newest_first(entries: list[SitemapEntry], limit: int) -> list[SitemapEntry]:
    """At most ``limit`` entries, the most recent (publication date, else lastmod) first when cut."""
    if len(entries) <= limit:
        return entries
    oldest = datetime.min.replace(tzinfo=UTC)

    def recency(entry: SitemapEntry) -> datetime:
        return entry.candidate.hints.published_at or entry.lastmod or oldest

    return sorted(entries, key=recency, reverse=True)[:limit]
