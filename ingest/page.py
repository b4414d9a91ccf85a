"""The raw page: what fetching (or a local archive) hands to the functional core."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class Hints:
    """What the source already told us about the page (feed entry, sitemap, sources.yaml)."""

    title: str | None = None
    published_at: datetime | None = None
    # When the source says the page last changed (Atom <updated>, sitemap <lastmod>): a page the
    # seen-store already holds from that date or later is not fetched again.
    modified_at: datetime | None = None
    author: str | None = None
    language: str | None = None
    tags: tuple[str, ...] = ()


@dataclass(frozen=True)
class RawPage:
    """Bytes as served, plus where and when they came from. Pure data: picklable, no I/O."""

    url: str  # final URL after redirects (or the URL given to a local file)
    body: bytes
    fetched_at: datetime
    source_name: str
    content_type: str | None = None  # the HTTP Content-Type header, charset included when sent
    hints: Hints = field(default_factory=Hints)
