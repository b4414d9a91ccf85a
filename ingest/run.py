"""One ingestion run of one source, in plain Python: discover -> fetch -> build -> seen-store -> publish.

Each stage is its own function so a Prefect flow can wrap each in a task; ``run_source`` composes
them with bounded memory: candidates go through in chunks of ``CHUNK_PAGES``; the next chunk is
fetched while the current one is built, and queued on the workers before the current one is
published, so the workers never wait between chunks. Every discovered item ends up in exactly
one bucket: ``discovered = published + unchanged + dead_lettered (+ not_processed after a stop)``.
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
import threading
import time
from collections import Counter
from collections.abc import Callable, Coroutine, Iterator, Sequence
from concurrent.futures import Future
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, TypeVar

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
from schemas.article import ArticleEvent, IngestRun
from schemas.dead_letter import DeadLetter
from schemas.settings import Settings

if TYPE_CHECKING:
    from ingest.core import Rejection

T = TypeVar("T")

# Pages per fetch/build/publish round (a Prefect task pair each): 500 x ~150 KB (corpus mean) =
# ~75 MB of page bytes per batch, three at most in memory (one fetching, one queued on the workers,
# one being built and published). Each task run costs ~50 ms of CPU in the flow and the Prefect
# server; 500 pages (~17 s of building on 2 cores) make that ~0.3% of the run (200 pages: ~0.8%).
CHUNK_PAGES = 500
# Hosts listed in the report as slowest (mean seconds per request).
SLOWEST_HOSTS_SHOWN = 5


class PendingResults(Protocol):
    """Pages queued on a builder: their results in input order (iterated once)."""

    def __iter__(self) -> Iterator[ArticleEvent | Rejection]: ...

    def cancel(self) -> None: ...


class Builder(Protocol):
    """What the build stage needs: ``ingest.pool.BuildPool`` (worker processes) in production."""

    def submit(self, pages: Sequence[RawPage]) -> PendingResults: ...

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
    unchanged_unfetched: int = 0  # of ``unchanged``: the source's date was not newer, so not fetched
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


def _in_background(start: Callable[[], T], name: str) -> Future[T]:
    """``start()`` on its own thread; its result (or exception) through the future."""
    future: Future[T] = Future()

    def run() -> None:
        try:
            future.set_result(start())
        except BaseException as exc:  # handed to whoever waits on the future
            future.set_exception(exc)

    threading.Thread(target=run, name=name, daemon=True).start()
    return future


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


@dataclass
class Building:
    """A fetched batch whose pages are queued on the workers (``SourceRun.start_build``)."""

    pages: list[RawPage]
    results: PendingResults


class Publishing:
    """The publish stage's collaborators for one run: seen-store, producers and the report."""

    def __init__(
        self,
        producer: Producer,
        settings: Settings,
        seen: SeenStore,
        report: RunReport,
        ingest_run: IngestRun | None = None,
    ) -> None:
        self.producer = producer
        self.ingest_run = ingest_run  # stamped on every event: the reader's link to the flow run
        self.articles = ArticlePublisher(producer, settings)
        self.dead_letters = DeadLetterPublisher(producer, settings)
        self.seen = seen
        self.report = report

    def dead_letter(self, letter: DeadLetter) -> None:
        self.report.dead_lettered[(letter.stage, letter.reason)] += 1
        self.dead_letters.send(letter)

    def event(self, event: ArticleEvent, source_name: str, source_modified: datetime | None = None) -> None:
        """``source_modified``: the source's date for the page, remembered once the event is on Kafka."""
        decision = self.seen.classify_and_reserve(event.id, event.content_hash)
        if decision.status == "unchanged":
            self.report.unchanged += 1
            if source_modified is not None and not decision.in_flight:
                self.seen.remember_url(event.url, source_modified)
            return
        update: dict[str, object] = {"revision": decision.revision, "ingest_run": self.ingest_run}
        if decision.status == "changed":
            update["modified_at"] = event.modified_at or event.fetched_at
        event = event.model_copy(update=update)

        def on_delivery(ok: bool, error: str | None) -> None:
            if ok:
                self.seen.confirm(event.id, event.revision, event.content_hash)
                if source_modified is not None:
                    self.seen.remember_url(event.url, source_modified)
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


def publish(page: RawPage, result: ArticleEvent | Rejection, source_name: str, out: Publishing) -> None:
    """An event through the seen-store to Kafka, a rejection to the DLQ. Acks arrive via callbacks."""
    if isinstance(result, ArticleEvent):
        out.report.extracted += 1
        out.event(result, source_name, page.hints.modified_at)
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


class SourceRun:
    """One ingestion run of one source and the resources it holds for its whole length.

    Each stage is a method (``discover``, ``fetch``, ``start_build``/``finish_build``) so a Prefect flow can
    make each one a task, while ``run_source`` chains them directly. One fetcher (robots cache,
    per-host politeness) lives on a private event loop thread for the whole run, so fetching the
    next chunk overlaps building the current one. ``close`` flushes the producer: only then are
    the counts final and the feed validators (ETag/Last-Modified) stored.
    """

    def __init__(
        self,
        source: SourceConfig,
        settings: Settings,
        workers: int | None = None,
        pool: Builder | None = None,
        ingest_run: IngestRun | None = None,
    ) -> None:
        self.source = source
        self.settings = settings
        self.report = RunReport(source.name)
        self._started = time.perf_counter()
        ensure_topics(settings)  # raises KafkaException when the broker is unreachable
        self._seen = SeenStore(seen_store_path(settings))
        self._validators = ValidatorStore(validators_path(settings))
        self._new_validators: dict[str, Validators] = {}
        self._workers = workers
        self._own_pool = pool is None
        self._pool = pool  # our own pool starts once discovery found pages (see ``discover``)
        self._pool_starting: Future[Builder] | None = None
        self.out = Publishing(make_producer(settings), settings, self._seen, self.report, ingest_run)
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(
            target=self._loop.run_forever, name=f"fetch-{source.name}", daemon=True
        )
        self._thread.start()
        self._fetcher = Fetcher(settings)
        self._call(self._fetcher.__aenter__())

    def __enter__(self) -> SourceRun:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _call(self, coro: Coroutine[object, object, T]) -> T:
        return asyncio.run_coroutine_threadsafe(coro, self._loop).result()

    def discover(self) -> list[list[Candidate]]:
        """Read the source; returns the candidates in chunks of ``CHUNK_PAGES``."""
        begun = time.perf_counter()
        discovery: Discovery = self._call(discover_async(self.source, self._fetcher, self._validators))
        self.report.timings_s["discover"] += time.perf_counter() - begun
        self.report.discovered = discovery.discovered
        self.report.not_modified = discovery.not_modified
        self._new_validators = discovery.validators
        for letter in discovery.dead_letters:
            self.out.dead_letter(letter)
        chunks = list(_chunks(self._modified(discovery.candidates), CHUNK_PAGES))
        if chunks and self._pool is None and self._pool_starting is None:
            # Started now, in the background: the fork server loads the models (~4 s) while the
            # first chunk is fetched; a poll that finds nothing new starts no process at all.
            self._pool_starting = _in_background(self._new_pool, "pool-start")
        return chunks

    def _new_pool(self) -> Builder:
        from ingest.pool import BuildPool  # worker processes with the NLP models: only when needed

        return BuildPool(self._workers)

    def _builder(self) -> Builder:
        """The pool, once started (waits for the background start begun by ``discover``)."""
        if self._pool is None:
            assert self._pool_starting is not None, "discover() starts the pool before any page is fetched"
            self._pool = self._pool_starting.result()
        return self._pool

    def _modified(self, candidates: list[Candidate]) -> list[Candidate]:
        """Candidates to fetch: not those whose source date is no newer than what Kafka already has."""
        keep = []
        for candidate in candidates:
            modified = candidate.hints.modified_at
            if modified is not None and self._seen.unchanged_since(candidate.url, modified):
                self.report.unchanged += 1
                self.report.unchanged_unfetched += 1
            else:
                keep.append(candidate)
        return keep

    async def _timed_fetch(self, chunk: list[Candidate]) -> FetchResult:
        begun = time.perf_counter()
        result = await fetch_pages_async(chunk, self.source.name, self._fetcher)
        self.report.timings_s["fetch"] += time.perf_counter() - begun
        return result

    def fetch_ahead(self, chunk: list[Candidate]) -> Future[FetchResult]:
        """Start fetching a chunk in the background; the future gives pages and dead letters."""
        return asyncio.run_coroutine_threadsafe(self._timed_fetch(chunk), self._loop)

    def fetch(self, chunk: list[Candidate]) -> FetchResult:
        """Fetch one chunk (politely, concurrently across hosts); thread-safe."""
        return self.fetch_ahead(chunk).result()

    def start_build(self, fetched: FetchResult) -> Building:
        """Queue a fetched batch on the worker processes and return at once (its fetch failures go
        to the DLQ now). Start the next batch before finishing this one and the workers never wait
        at a batch boundary; batches finish in the order they were started."""
        self.report.fetched += len(fetched.pages)
        for letter in fetched.dead_letters:
            self.out.dead_letter(letter)
        return Building(fetched.pages, self._builder().submit(fetched.pages))

    def finish_build(self, building: Building) -> None:
        """Publish a started batch's events (seen-store -> Kafka) and rejections (DLQ) as the
        workers return them, in input order."""
        results = iter(building.results)
        waited = 0.0
        begun = time.perf_counter()
        for page in building.pages:
            asked = time.perf_counter()
            result = next(results)
            waited += time.perf_counter() - asked
            publish(page, result, self.source.name, self.out)
        self.report.timings_s["build_wait"] += waited
        self.report.timings_s["publish"] += time.perf_counter() - begun - waited

    def cancel_build(self, building: Building) -> None:
        """A started batch of a stopped run: what has not been built is dropped, all of it counted
        as not processed (a stopped run publishes nothing more)."""
        building.results.cancel()
        self.report.stopped = True
        self.report.not_processed += len(building.pages)

    def skip(self, chunks: list[list[Candidate]]) -> None:
        """Chunks left when the run is stopped: counted as not processed, never silently lost."""
        self.report.stopped = True
        self.report.not_processed += sum(len(chunk) for chunk in chunks)

    def close(self) -> RunReport:
        """Flush (acks -> seen-store), store the feed validators if all is on Kafka, release everything."""
        if self._thread.is_alive():
            stats = sorted(
                self._fetcher.host_stats.items(), key=lambda kv: kv[1].seconds / kv[1].requests, reverse=True
            )
            self.report.slowest_hosts = [
                (h, s.seconds / s.requests, s.requests) for h, s in stats[:SLOWEST_HOSTS_SHOWN]
            ]
            self._call(self._fetcher.__aexit__(None, None, None))
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join()
            self._loop.close()
        begun = time.perf_counter()
        self.report.not_processed += flush(self.out.producer)  # acks -> callbacks -> seen-store first
        self.report.timings_s["flush"] += time.perf_counter() - begun
        if self._own_pool and self._pool_starting is not None:
            # A pool that failed to start has nothing to close; its error reached ``start_build``.
            with contextlib.suppress(Exception):
                self._builder().close()
            self._own_pool = False
        self._seen.close()
        self.report.dlq_failed = self.out.dead_letters.counts.failed
        if not self.report.stopped and self.report.not_processed == 0:
            # Only now is everything of this poll on Kafka: the next poll may answer 304.
            for url, value in self._new_validators.items():
                self._validators.put(url, value)
            self._new_validators = {}
        self._validators.close()
        self.report.timings_s["total"] = time.perf_counter() - self._started
        return self.report


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
    previous = None
    if threading.current_thread() is threading.main_thread():
        previous = signal.signal(signal.SIGTERM, lambda *_: stop.set())
    try:
        with SourceRun(source, settings, workers, pool) as run:
            chunks = run.discover()
            pending = run.fetch_ahead(chunks[0]) if chunks else None
            building: Building | None = None
            for index in range(len(chunks)):
                assert pending is not None
                fetched = pending.result()
                pending = run.fetch_ahead(chunks[index + 1]) if index + 1 < len(chunks) else None
                # Batch N+1 is queued on the workers before batch N is collected and published.
                started = run.start_build(fetched)
                if building is not None:
                    run.finish_build(building)
                    if progress:
                        progress(run.report)
                building = started
                if stop.is_set():
                    run.cancel_build(building)
                    run.skip(chunks[index + 1 :])
                    building = None
                    break
            if building is not None:
                run.finish_build(building)
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)
    if progress:
        progress(run.report)  # the last acknowledgements arrived during the final flush
    return run.report
