"""A batch of candidates fetched concurrently (the fetcher's host gate keeps it polite), in input order.

A candidate with a local file (HTML folder, WARC) is read from disk on a thread; any other is
fetched over HTTP. A page that cannot be had becomes a dead letter with the reason.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

from ingest.fetch.client import Fetcher
from ingest.page import RawPage
from ingest.sources import local
from ingest.sources.candidate import Candidate
from ingest.sources.errors import SourceBroken
from schemas.dead_letter import DeadLetter


@dataclass
class FetchResult:
    pages: list[RawPage] = field(default_factory=list)
    dead_letters: list[DeadLetter] = field(default_factory=list)


async def _fetch_one(candidate: Candidate, source_name: str, fetcher: Fetcher) -> RawPage | DeadLetter:
    if candidate.file is None:
        return await fetcher.fetch_page(candidate.url, source_name, candidate.hints)
    try:
        return await asyncio.to_thread(local.read_page, candidate, source_name)
    except (OSError, EOFError, SourceBroken) as exc:
        reason = exc.reason if isinstance(exc, SourceBroken) else "unreadable"
        return DeadLetter(
            url=candidate.url, source=source_name, stage="fetch", reason=reason, detail=str(exc)
        )


async def fetch_pages_async(candidates: list[Candidate], source_name: str, fetcher: Fetcher) -> FetchResult:
    """All candidates concurrently, in input order: pages and dead letters apart."""
    outcomes = await asyncio.gather(*(_fetch_one(c, source_name, fetcher) for c in candidates))
    result = FetchResult()
    for outcome in outcomes:
        (result.pages if isinstance(outcome, RawPage) else result.dead_letters).append(outcome)
    return result
