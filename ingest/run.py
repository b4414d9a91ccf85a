"""One ingestion run of one source, in plain Python: discover -> fetch -> build -> seen-store -> publish.

Each stage is its own function so a Prefect flow can wrap each in a task; ``run_source`` composes
them with bounded memory: candidates go through in chunks of ``CHUNK_PAGES``, and the next chunk
is fetched while the current one is built and published. Every discovered item ends up in exactly
one bucket: ``discovered = published + unchanged + dead_lettered (+ not_processed after a stop)``.
"""

from __future__ import annotations

import asyncio
import signal
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from confluent_kafka import Producer

from ingest.fetch.client import Fetcher
from ingest.fetch.validators import Validators, ValidatorStore
from ingest.page import RawPage
from ingest.publish.dead_letters import DeadLetterPublisher
from ingest.publish.producer import ArticlePublisher, flush, make_producer
from ingest.publish.topics import ensure_topics
from ingest.seen_store import SeenStore
from ingest.sources import local
from ingest.sources.candidate import Candidate
from ingest.sources.config import SourceConfig
from ingest.sources.discover import Discovery, discover_async, validators_path
from ingest.sources.errors import SourceBroken
from schemas.article import ArticleEvent
from schemas.dead_letter import DeadLetter
from schemas.settings import Settings

if TYPE_CHECKING:
    from ingest.core import Rejection

# Pages per fetch/build/publish round: 200 x ~150 KB (corpus mean) = ~30 MB of page bytes in
# memory per chunk, two chunks at most (one fetching, one building), and enough pages to keep a
# pool of workers busy between two rounds.
CHUNK_PAGES = 200
# Hosts listed in the report as slowest (mean seconds per request).
SLOWEST_HOSTS_SHOWN = 5


class Builder(Protocol):
    """What the build stage needs: ``ingest.pool.BuildPool`` (worker processes) in production."""

    def build(self, pages: Sequence[RawPage]) -> list[ArticleEvent | Rejection]: ...

    def close(self) -> None: ...


def seen_store_path(settings: Settings) -> Path:
    return settings.data_dir / "seen.sqlite"


@dataclass
class FetchResult:
    pages: list[RawPage] = field(default_factory=list)
    dead_letters: list[DeadLetter] = field(default_factory=list)


@dataclass
class RunReport:
    source: str
    discovered: int = 0
    not_modified: bool = False
    fetched: int = 0
    extracted: int = 0
    published: int = 0  # acknowledged by Kafka
    new: int = 0
    changed: int = 0
    unchanged: int = 0
    dead_lettered: Counter[tuple[str, str]] = field(default_factory=Counter)  # (stage, reason) -> n
    not_processed: int = 0  # left when stopped (SIGTERM) or never acknowledged before the flush timeout
    stopped: bool = False
    dlq_failed: int = 0  # dead letters Kafka did not acknowledge (still counted above; see the log)
    timings_s: dict[str, float] = field(default_factory=Counter)
    slowest_hosts: list[tuple[str, float, int]] = field(default_factory=list)  # host, mean s, requests

    @property
    def dead_lettered_total(self) -> int:
        return sum(self.dead_lettered.values())

    @property
    def accounted(self) -> int:
        return self.published + self.unchanged + self.dead_lettered_total + self.not_processed

    def balanced(self) -> bool:
        """The run's invariant: every discovered item is in exactly one bucket."""
        return self.discovered == self.accounted


def _chunks(items: list[Candidate], size: int) -> Iterator[list[Candidate]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


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
    """All candidates concurrently (the fetcher's host gate keeps it polite), in input order."""
    outcomes = await asyncio.gather(*(_fetch_one(c, source_name, fetcher) for c in candidates))
    result = FetchResult()
    for outcome in outcomes:
        (result.pages if isinstance(outcome, RawPage) else result.dead_letters).append(outcome)
    return result


def fetch_pages(candidates: list[Candidate], source_name: str, settings: Settings) -> FetchResult:
    """Synchronous entry point (one task of a flow) with its own fetcher."""

    async def _run() -> FetchResult:
        async with Fetcher(settings) as fetcher:
            return await fetch_pages_async(candidates, source_name, fetcher)

    return asyncio.run(_run())


def build(pages: list[RawPage], pool: Builder) -> list[ArticleEvent | Rejection]:
    """Pages -> events or rejections, in input order (the functional core, in worker processes)."""
    return pool.build(pages) if pages else []


class Publishing:
    """The publish stage's collaborators for one run: seen-store, producers and the report."""

    def __init__(self, producer: Producer, settings: Settings, seen: SeenStore, report: RunReport) -> None:
        self.producer = producer
        self.articles = ArticlePublisher(producer, settings)
        self.dead_letters = DeadLetterPublisher(producer, settings)
        self.seen = seen
        self.report = report

    def dead_letter(self, letter: DeadLetter) -> None:
        self.report.dead_lettered[(letter.stage, letter.reason)] += 1
        self.dead_letters.send(letter)

    def event(self, event: ArticleEvent, source_name: str) -> None:
        decision = self.seen.classify_and_reserve(event.id, event.content_hash)
        if decision.status == "unchanged":
            self.report.unchanged += 1
            return
        update: dict[str, object] = {"revision": decision.revision}
        if decision.status == "changed":
            update["modified_at"] = event.modified_at or event.fetched_at
        event = event.model_copy(update=update)

        def on_delivery(ok: bool, error: str | None) -> None:
            if ok:
                self.seen.confirm(event.id, event.revision, event.content_hash)
                self.report.published += 1
                self.report.new += decision.status == "new"
                self.report.changed += decision.status == "changed"
            else:
                self.seen.release(event.id, event.revision)
                self.dead_letter(
                    DeadLetter(
                        url=event.url,
                        article_id=event.id,
                        source=source_name,
                        stage="publish",
                        reason="delivery_failed",
                        detail=error,
                    )
                )

        refused = self.articles.publish(event, source_name, on_delivery)
        if refused is not None:
            self.seen.release(event.id, decision.revision)
            self.dead_letter(refused)


def publish(
    pages: list[RawPage], results: list[ArticleEvent | Rejection], source_name: str, out: Publishing
) -> None:
    """Events through the seen-store to Kafka, rejections to the DLQ. Acks arrive via callbacks."""
    for page, result in zip(pages, results, strict=True):
        if isinstance(result, ArticleEvent):
            out.report.extracted += 1
            out.event(result, source_name)
        else:
            out.dead_letter(
                DeadLetter(
                    url=page.url,
                    source=source_name,
                    stage=result.stage,
                    reason=result.reason,
                    detail=result.detail,
                )
            )


ProgressCallback = Callable[[RunReport], None]


async def _run(
    source: SourceConfig,
    settings: Settings,
    pool: Builder,
    out: Publishing,
    validators: ValidatorStore,
    stop: threading.Event,
    progress: ProgressCallback | None,
) -> dict[str, Validators]:
    """The run's body; returns the feed/sitemap validators to store once everything is acknowledged."""
    report = out.report
    async with Fetcher(settings) as fetcher:
        started = time.perf_counter()
        discovery: Discovery = await discover_async(source, fetcher, validators)
        report.timings_s["discover"] += time.perf_counter() - started
        report.discovered = discovery.discovered
        report.not_modified = discovery.not_modified
        for letter in discovery.dead_letters:
            out.dead_letter(letter)
        chunks = list(_chunks(discovery.candidates, CHUNK_PAGES))

        async def timed_fetch(chunk: list[Candidate]) -> FetchResult:
            begun = time.perf_counter()
            result = await fetch_pages_async(chunk, source.name, fetcher)
            report.timings_s["fetch"] += time.perf_counter() - begun
            return result

        pending = asyncio.create_task(timed_fetch(chunks[0])) if chunks else None
        for index in range(len(chunks)):
            assert pending is not None
            fetched = await pending
            pending = None
            if stop.is_set():
                report.stopped = True
                report.not_processed += sum(len(c) for c in chunks[index:])
                break
            if index + 1 < len(chunks):
                pending = asyncio.create_task(timed_fetch(chunks[index + 1]))
            report.fetched += len(fetched.pages)
            for letter in fetched.dead_letters:
                out.dead_letter(letter)
            begun = time.perf_counter()
            results = await asyncio.to_thread(build, fetched.pages, pool)
            report.timings_s["build"] += time.perf_counter() - begun
            begun = time.perf_counter()
            publish(fetched.pages, results, source.name, out)
            report.timings_s["publish"] += time.perf_counter() - begun
            if progress:
                progress(report)
        if pending is not None:
            pending.cancel()
        stats = sorted(
            fetcher.host_stats.items(), key=lambda kv: kv[1].seconds / kv[1].requests, reverse=True
        )
        report.slowest_hosts = [
            (h, s.seconds / s.requests, s.requests) for h, s in stats[:SLOWEST_HOSTS_SHOWN]
        ]
    return discovery.validators


def run_source(
    source: SourceConfig,
    settings: Settings,
    workers: int,
    pool: Builder | None = None,
    progress: ProgressCallback | None = None,
    stop: threading.Event | None = None,
) -> RunReport:
    """Ingest one source once. SIGTERM (in the main thread) stops after the current chunk, flushes."""
    stop = stop or threading.Event()
    report = RunReport(source.name)
    started = time.perf_counter()
    ensure_topics(settings)
    seen = SeenStore(seen_store_path(settings))
    validators = ValidatorStore(validators_path(settings))
    producer = make_producer(settings)
    own_pool = pool is None
    if pool is None:
        from ingest.pool import BuildPool  # worker processes with the NLP models: only when needed

        pool = BuildPool(workers)
    out = Publishing(producer, settings, seen, report)
    previous = None
    if threading.current_thread() is threading.main_thread():
        previous = signal.signal(signal.SIGTERM, lambda *_: stop.set())
    new_validators: dict[str, Validators] = {}
    try:
        new_validators = asyncio.run(_run(source, settings, pool, out, validators, stop, progress))
    finally:
        begun = time.perf_counter()
        report.not_processed += flush(producer)  # acks -> callbacks -> seen-store, before anything else
        report.timings_s["flush"] += time.perf_counter() - begun
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)
        if own_pool:
            pool.close()
        seen.close()
    report.dlq_failed = out.dead_letters.counts.failed
    if not report.stopped and report.not_processed == 0:
        # Only now is everything of this poll on Kafka: the next poll may answer 304.
        for url, value in new_validators.items():
            validators.put(url, value)
    validators.close()
    report.timings_s["total"] = time.perf_counter() - started
    return report
