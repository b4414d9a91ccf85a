"""The simulated site's content: corpus pages assigned to a few fake outlets, with stable URLs.

Pages are read (and gunzipped) on request, never all held in memory, so a corpus replicated to
10,000+ articles costs a few MB. Each served page has its ``rel=canonical``/``og:url`` rewritten to
its own sim URL: otherwise every replica would claim the original site's URL and share one id.
"""

from __future__ import annotations

import gzip
import json
import os
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
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

    @property
    def path(self) -> str:
        return f"/{self.outlet}/articles/{self.slug}.html"

    @property
    def modified_at(self) -> datetime:
        return self.published_at + timedelta(hours=self.version)

    def body(self, base_url: str) -> bytes:
        raw = gzip.decompress(self.file.read_bytes()) if self.file.suffix == ".gz" else self.file.read_bytes()
        own = (base_url + self.path).encode()

        def rewrite(match: re.Match[bytes]) -> bytes:
            groups = [g for g in match.groups() if g is not None]
            return groups[0] + own + groups[1]

        body = _CANONICAL.sub(rewrite, raw)
        return _changed(body, self.snippet, self.version) if self.version else body


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
