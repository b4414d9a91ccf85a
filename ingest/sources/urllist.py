"""URL lists: a text file, one URL a line; blank lines and ``#`` comments are skipped."""

from __future__ import annotations

from urllib.parse import urlsplit

from ingest.page import Hints
from ingest.sources.candidate import Candidate
from ingest.sources.errors import SourceBroken


def parse_url_list(text: str, origin: str, hints: Hints) -> tuple[list[Candidate], list[SourceBroken]]:
    """Candidates in file order without duplicates, and one problem per line that is not a URL."""
    problems: list[SourceBroken] = []
    candidates: list[Candidate] = []
    seen: set[str] = set()
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        parts = urlsplit(line)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            problems.append(
                SourceBroken("bad_url", f"{origin} line {number}: not an http(s) URL: {line[:200]!r}")
            )
            continue
        if line not in seen:
            seen.add(line)
            candidates.append(Candidate(line, hints))
    return candidates, problems
