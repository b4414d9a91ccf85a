"""The simulated site's content: corpus pages assigned to a few fake outlets, with stable URLs.

Pages are read (and gunzipped) on request, never all held in memory, so a corpus replicated to
10,000+ articles costs a few MB. Each served page has its ``rel=canonical``/``og:url`` rewritten to
its own sim URL: otherwise every replica would claim the original site's URL and share one id.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

REPO_ROOT = Path(__file__).resolve().parents[2]

# Outlets by the original page's top-level domain, so each outlet has a dominant language.
OUTLET_TLDS = {"tagblatt": {"de", "at", "ch"}, "globe": {"com", "org", "net", "uk", "us", "io", "info"}}
OTHER_OUTLET = "courrier"
OUTLETS = (*OUTLET_TLDS, OTHER_OUTLET)
OUTLET_LANGUAGE = {"tagblatt": "de", "globe": "en", OTHER_OUTLET: None}

# Publication dates go back from here one per 7 minutes: fixed, so feeds are byte-stable across runs.
EPOCH = datetime(2024, 6, 1, 12, 0, tzinfo=UTC)
PUBLISH_STEP = timedelta(minutes=7)
# Decompressed corpus files kept in memory: the whole corpus (884 files, ~130 MB) so that serving
# replicas is not bound by gunzip + regex (the benchmark's bottleneck otherwise).
TEMPLATE_CACHE_FILES = 1024

_CANONICAL = re.compile(
    rb"""(<link\b[^>]*\brel=["']?canonical["']?[^>]*\bhref=["'])[^"']*(["'])"""
    rb"""|(<link\b[^>]*\bhref=["'])[^"']*(["'][^>]*\brel=["']?canonical)"""
    rb"""|(<meta\b[^>]*\bproperty=["']og:url["'][^>]*\bcontent=["'])[^"']*(["'])""",
    re.IGNORECASE,
)


def corpus_dir() -> Path:
    return Path(os.environ.get("NEWSFLOW_CORPUS_DIR") or REPO_ROOT.parent / "shared" / "corpus")


def outlet_of(url: str) -> str:
    tld = (urlsplit(url).hostname or "").rsplit(".", 1)[-1]
    return next((name for name, tlds in OUTLET_TLDS.items() if tld in tlds), OTHER_OUTLET)


@dataclass
class SimPage:
    outlet: str
    slug: str
    file: Path
    snippet: str | None  # a main-text snippet, where ``change`` inserts its update
    published_at: datetime
    version: int = 0
    render: Callable[[str], bytes] | None = None  # a generated page (syndication), else the corpus file

    @property
    def path(self) -> str:
        return f"/{self.outlet}/articles/{self.slug}.html"

    @property
    def modified_at(self) -> datetime:
        return self.published_at + timedelta(hours=self.version)

    def etag(self, base_url: str) -> str:
        """A strong ETag of ``body(base_url)``, from what determines it (file, URL, version) instead of
        hashing ~150 KB per request: the body is a pure function of those."""
        key = f"{self.file}|{base_url}{self.path}|{self.version}".encode()
        return '"' + hashlib.sha1(key).hexdigest()[:20] + '"'

    def body(self, base_url: str) -> bytes:
        if self.render is not None:
            body = self.render(base_url)
            return _changed(body, self.snippet, self.version) if self.version else body
        raw, spans = _template(self.file)
        own = (base_url + self.path).encode()
        parts, last = [], 0
        for start, end in spans:
            parts += [raw[last:start], own]
            last = end
        parts.append(raw[last:])
        body = b"".join(parts)
        return _changed(body, self.snippet, self.version) if self.version else body


@lru_cache(maxsize=TEMPLATE_CACHE_FILES)
def _template(file: Path) -> tuple[bytes, list[tuple[int, int]]]:
    """A corpus file's bytes and the spans of its canonical/og:url values, found once per file."""
    raw = gzip.decompress(file.read_bytes()) if file.suffix == ".gz" else file.read_bytes()
    spans = []
    for match in _CANONICAL.finditer(raw):
        group = next(i for i in (1, 3, 5) if match.group(i) is not None)
        spans.append((match.end(group), match.start(group + 1)))
    return raw, spans


def _changed(body: bytes, snippet: str | None, version: int) -> bytes:
    """Insert an update sentence just before the main-text snippet (so the extracted text changes)."""
    update = f"Update {version}: this article was revised. ".encode()
    for encoding in ("utf-8", "cp1252"):
        anchor = snippet.encode(encoding, errors="ignore") if snippet else b""
        at = body.find(anchor) if anchor else -1
        if at >= 0:
            return body[:at] + update + body[at:]
    at = body.lower().find(b"</p>")
    return body[:at] + update + body[at:] if at >= 0 else body + update


def load_pages(limit: int | None = None, replicate: int = 1) -> list[SimPage]:
    """Corpus pages (the first ``limit``), each ``replicate`` times under distinct URLs."""
    root = corpus_dir()
    entries = json.loads((root / "pages.json").read_text(encoding="utf-8"))[:limit]
    pages: list[SimPage] = []
    for copy in range(replicate):
        for entry in entries:
            stem = Path(entry["file"]).name.split(".", 1)[0]
            slug = stem if copy == 0 else f"{stem}-{copy}"
            snippet = entry["with"][0] if entry.get("with") else None
            when = EPOCH - PUBLISH_STEP * len(pages)
            pages.append(SimPage(outlet_of(entry["url"]), slug, root / entry["file"], snippet, when))
    return pages
