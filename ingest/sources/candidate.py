"""A candidate: one URL a source says may be an article, with what the source told us about it.

Candidates are small on purpose (no page bytes): discovery of 50,000 URLs stays cheap to pass
between stages, and the bytes are only loaded by the fetch stage, a chunk at a time.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ingest.page import Hints


@dataclass(frozen=True)
class Candidate:
    url: str
    hints: Hints = field(default_factory=Hints)
    # Local sources: the page is read from this file (at this WARC record offset) instead of fetched.
    file: Path | None = None
    offset: int | None = None
