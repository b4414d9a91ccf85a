"""One ingestion run of one source: its resources and its stages, wired together.

The stages are ``discover`` -> ``fetch`` (``ingest/fetch/batch.py``) -> ``start_build``/
``finish_build`` (worker processes, ``ingest/pool.py``) -> publish (``ingest/publish/publisher.py``).
``ingest/driver.py`` calls them in order, batch after batch; the Prefect flow calls the same driver
with each stage as a task. Every discovered item ends up in one bucket of the report
(``ingest/report.py``).
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections import deque
from collections.abc import Iterator, Sequence
from concurrent.futures import Future
from dataclasses import dataclass
from typing import Protocol

from confluent_kafka import KafkaException

from ingest.core import Rejection
from ingest.driver import drive
from ingest.failure_policy import KAFKA_HINT, KafkaUnavailable
from ingest.fetch.batch import FetchResult, fetch_pages_async
from ingest.fetch.client import Fetcher
from ingest.fetch.validators import Validators, ValidatorStore
from ingest.page import RawPage
from ingest.publish.publisher import Publisher
from ingest.publish.topics import ensure_topics
from ingest.report import ProgressCallback, RunReport
from ingest.run_log import get_logger, run_context
from ingest.seen_store import SeenStore, seen_store_path
from ingest.sources.candidate import Candidate
from ingest.sources.config import SourceConfig
from ingest.sources.discover import discover_async, validators_path
from ingest.threads import LoopThread, in_background
from schemas.article import ArticleEvent, IngestRun
from schemas.dead_letter import DeadLetter
from schemas.settings import Settings

log = get_logger(__name__)

# Pages per fetch/build/publish round (a Prefect task pair each): 500 x ~150 KB (corpus mean) =
# ~75 MB of page bytes per batch, three at most in memory (one fetching, one queued on the workers,
# one being built and published). Each task run costs ~50 ms of CPU in the flow and the Prefect
# server; 500 pages (~17 s of building on 2 cores) make that ~0.3% of the run (200 pages: ~0.8%).
BATCH_PAGES = 500


class PendingResults(Protocol):
    """Pages queued on a builder: their results in input order (iterated once)."""

    def __iter__(self) -> Iterator[ArticleEvent | Rejection]: ...

    def cancel(self) -> None: ...


class Builder(Protocol):
    """What the build stage needs: ``ingest.pool.BuildPool`` (worker processes) in production."""

    def submit(self, pages: Sequence[RawPage]) -> PendingResults: ...

    def close(self) -> None: ...


@dataclass
class Building:
    """A fetched batch whose pages are queued on the workers (``SourceRun.start_build``)."""

    pages: list[RawPage]
    results: PendingResults


def _batches(items: list[Candidate], size: int) -> list[list[Candidate]]:
    return [items[start : start + size] for start in range(0, len(items), size)]


class SourceRun:
    """One ingestion run of one source and the resources it holds for its whole length.

    Nothing is opened before ``__enter__``, which opens each resource in order and, if one fails,
    closes those already open in reverse; ``__exit__`` closes them all in reverse: the fetcher, the
    workers, then the publisher (its flush brings the last acknowledgements into the seen-store),
    and only then are the source's validators (ETag/Last-Modified) stored, if the run completed.
    """

    def __init__(
        self,
        source: SourceConfig,
        settings: Settings,
        workers: int | None = None,
        pool: Builder | None = None,
        run_id: str | None = None,
        ingest_run: IngestRun | None = None,
    ) -> None:
        """``run_id`` names the run in the log (e.g. the Prefect flow run's id; default: a new one)."""
        self.source = source
        self.run_id = run_id
        self.ingest_run = ingest_run  # stamped on every event: the reader's link to the flow run
        self.settings = settings
        self.report = RunReport(source.name)
        self._workers = workers
        self._pool = pool  # our own pool starts once discovery found pages (see ``discover``)
        self._pool_starting: Future[Builder] | None = None
        self._batches: list[list[Candidate]] | None = None  # set once discovery succeeded
        self._unsent_letters: deque[DeadLetter] = deque()
        self._new_validators: dict[str, Validators] = {}
        self._failed = False
        self._resources = contextlib.ExitStack()

    def __enter__(self) -> SourceRun:
        self._started = time.perf_counter()
        with contextlib.ExitStack() as stack:
            stack.enter_context(run_context(self.source.name, self.run_id))
            try:
                ensure_topics(self.settings)
            except KafkaException as exc:
                raise KafkaUnavailable(
                    f"Kafka is unreachable at {self.settings.kafka_bootstrap} ({exc}); nothing was "
                    f"published. {KAFKA_HINT}"
                ) from exc
            self._seen = SeenStore(seen_store_path(self.settings))
            stack.callback(self._seen.close)
            self._validators = ValidatorStore(validators_path(self.settings))
            stack.callback(self._validators.close)
            stack.callback(self._store_validators)  # runs after the publisher's flush below
            self.out = Publisher(self.settings, self._seen, self.report, self.ingest_run)
            stack.callback(self._close_publisher)
            stack.callback(self._close_pool)
            self._loop = LoopThread(f"fetch-{self.source.name}")
            stack.callback(self._loop.close)
            self._fetcher = Fetcher(self.settings)
            self._loop.call(self._fetcher.__aenter__())
            stack.callback(self._close_fetcher)
            self._resources = stack.pop_all()
        log.info("run started")
        return self

    def __exit__(self, exc_type: type[BaseException] | None, *_: object) -> None:
        self._failed = exc_type is not None
        self.close()

    def close(self) -> RunReport:
        """Close every resource in reverse order of opening; the counts are final afterwards."""
        self._resources.close()
        self.report.timings_s["total"] = time.perf_counter() - self._started
        log.info("run ended: %s", self.report.summary())
        return self.report

    def discover(self) -> list[list[Candidate]]:
        """Read the source; returns the candidates in batches of ``BATCH_PAGES``.

        Safe to retry: once the source was read, a second call only sends the discovery's dead
        letters not sent yet and returns the same batches (nothing counted twice).
        """
        if self._batches is None:
            begun = time.perf_counter()
            discovery = self._loop.call(discover_async(self.source, self._fetcher, self._validators))
            self.report.timings_s["discover"] += time.perf_counter() - begun
            fetch = self._modified(discovery.candidates)
            self.report.discovered = discovery.discovered
            self.report.not_modified = discovery.not_modified
            self._new_validators = discovery.validators
            self._unsent_letters = deque(discovery.dead_letters)
            self._batches = _batches(fetch, BATCH_PAGES)
            log.info("discovered %d, %d to fetch", discovery.discovered, len(fetch))
        while self._unsent_letters:
            self.out.dead_letter(self._unsent_letters[0])
            self._unsent_letters.popleft()
        if self._batches and self._pool is None and self._pool_starting is None:
            # Started now, in the background: the fork server loads the models (~4 s) while the
            # first batch is fetched; a poll that finds nothing new starts no process at all.
            self._pool_starting = in_background(self._new_pool, "pool-start")
        return self._batches

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

    async def _timed_fetch(self, batch: list[Candidate]) -> FetchResult:
        begun = time.perf_counter()
        result = await fetch_pages_async(batch, self.source.name, self._fetcher)
        self.report.timings_s["fetch"] += time.perf_counter() - begun
        return result

    def fetch_ahead(self, batch: list[Candidate]) -> Future[FetchResult]:
        """Start fetching a batch in the background; the future gives pages and dead letters."""
        return self._loop.submit(self._timed_fetch(batch))

    def fetch(self, batch: list[Candidate]) -> FetchResult:
        """Fetch one batch (politely, concurrently across hosts); thread-safe, no side effect."""
        return self.fetch_ahead(batch).result()

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
            self.out.publish(page, result)
        self.report.timings_s["build_wait"] += waited
        self.report.timings_s["publish"] += time.perf_counter() - begun - waited

    def cancel_build(self, building: Building) -> None:
        """A started batch of a stopped run: what has not been built is dropped, all of it counted
        as not processed (a stopped run publishes nothing more)."""
        building.results.cancel()
        self.report.stopped = True
        self.report.not_processed += len(building.pages)

    def skip(self, batches: list[list[Candidate]]) -> None:
        """Batches left when the run is stopped: counted as not processed, never silently lost."""
        self.report.stopped = True
        self.report.not_processed += sum(len(batch) for batch in batches)

    def _close_fetcher(self) -> None:
        self.report.note_slowest_hosts(self._fetcher.host_stats)
        self._loop.call(self._fetcher.__aexit__(None, None, None))

    def _close_pool(self) -> None:
        if self._pool_starting is None:
            return  # no pool of our own (none needed, or the caller's)
        pool, self._pool_starting = self._pool_starting, None
        with contextlib.suppress(Exception):  # a pool that failed to start has nothing to close
            pool.result().close()

    def _close_publisher(self) -> None:
        begun = time.perf_counter()
        self.out.close()  # acks -> seen-store first
        self.report.timings_s["flush"] += time.perf_counter() - begun

    def _store_validators(self) -> None:
        """Only when everything of this poll is on Kafka may the next poll be answered 304."""
        report = self.report
        if self._failed or report.stopped or report.not_processed or report.dlq_failed:
            log.info("source validators not stored: the run did not complete")
            return
        if report.transient_failures:  # 5xx, timeouts, cut bodies: the next poll must see those pages again
            log.info("source validators not stored: %d pages failed for now", report.transient_failures)
            return
        for url, value in self._new_validators.items():
            self._validators.put(url, value)


def run_source(
    source: SourceConfig,
    settings: Settings,
    workers: int,
    pool: Builder | None = None,
    progress: ProgressCallback | None = None,
    stop: threading.Event | None = None,
) -> RunReport:
    """Ingest one source once, in this process. SIGTERM (main thread) stops after the current batch."""
    with SourceRun(source, settings, workers, pool) as run:
        drive(run, stop=stop, progress=progress)
    if progress:
        progress(run.report)  # the last acknowledgements arrived during the final flush
    return run.report
