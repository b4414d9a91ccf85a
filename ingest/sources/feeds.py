"""RSS 0.9x/1.0/2.0 and Atom feeds -> candidates (feedparser does the format zoo)."""

from __future__ import annotations

import calendar
import io
import re
from datetime import UTC, datetime
from time import struct_time
from urllib.parse import urljoin, urlsplit

import feedparser

from ingest.page import Hints
from ingest.sources.candidate import Candidate
from ingest.sources.errors import SourceBroken


def _when(value: struct_time | None) -> datetime | None:
    if value is None:
        return None
    return datetime.fromtimestamp(calendar.timegm(value), UTC)


RSS_AUTHOR = re.compile(r"^\s*[^\s@()]+@[^\s()]+\s*\((?P<name>[^()]+)\)\s*$")
"""RSS 2.0's ``<author>`` form "email (Name)". Read here, not from feedparser's ``author_detail``: its
e-mail pattern takes at most four letters of top-level domain, so "desk@outlet.example (Desk outlet)"
came back as the name "ple (Desk outlet" (feedparser 6.0)."""


def _author(entry: feedparser.FeedParserDict) -> str | None:
    """The entry's author as a name: RSS "email (Name)" -> Name, else feedparser's name, else the raw text."""
    raw = entry.get("author")
    rss = RSS_AUTHOR.match(raw) if raw else None
    if rss:
        return rss.group("name").strip()
    return (entry.get("author_detail") or {}).get("name") or raw or None


def _language(code: str | None) -> str | None:
    """``en-US`` -> ``en``; anything that is not a 2-letter primary tag is dropped."""
    if not code:
        return None
    primary = code.strip().lower().replace("_", "-").split("-", 1)[0]
    return primary if len(primary) == 2 and primary.isalpha() else None


def parse_feed(
    body: bytes, base_url: str, language: str | None = None, tags: tuple[str, ...] = ()
) -> list[Candidate]:
    """Entries with a link, in feed order, without duplicates; ``SourceBroken`` if it is not a feed
    or is malformed with no usable entry.

    ``language`` and ``tags`` come from sources.yaml; the feed's own language wins when present.
    """
    # A stream, never raw bytes: feedparser treats a bytes/str argument that looks like a path or
    # URL as something to open, which a hostile "feed" body must never trigger.
    parsed = feedparser.parse(io.BytesIO(body), sanitize_html=False, resolve_relative_uris=False)
    if not parsed.get("version") and not parsed.entries:
        raise SourceBroken("not_a_feed", f"{base_url}: neither RSS nor Atom")
    feed_language = _language(parsed.feed.get("language")) or language
    candidates: list[Candidate] = []
    seen: set[str] = set()
    for entry in parsed.entries:
        link = entry.get("link")
        if not link:
            continue
        url = urljoin(base_url, link.strip())
        if urlsplit(url).scheme not in ("http", "https") or url in seen:
            continue
        seen.add(url)
        entry_tags = tuple(t["term"] for t in entry.get("tags", []) if t.get("term"))
        hints = Hints(
            title=entry.get("title") or None,
            published_at=_when(entry.get("published_parsed") or entry.get("updated_parsed")),
            # dict.get: feedparser's own get() answers an absent updated_parsed with published_parsed.
            modified_at=_when(dict.get(entry, "updated_parsed")),
            author=_author(entry),
            language=_language(entry.get("language")) or feed_language,
            tags=tuple(dict.fromkeys(tags + entry_tags)),
        )
        candidates.append(Candidate(url, hints))
    if parsed.bozo and not candidates:
        # feedparser recovers what it can from broken XML; only a feed with nothing usable is broken.
        raise SourceBroken("malformed_feed", f"{base_url}: {parsed.get('bozo_exception')!r}")
    return candidates
