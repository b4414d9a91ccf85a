"""The functional core on all cores: a process pool of ``ArticleBuilder``s, results in input order.

The models load once, in the fork server the workers are forked from (``ingest.pool_preload``); a
worker whose fork server could not load them builds its own ArticleBuilder (pool initializer).
Pages go to workers in chunks: a chunk is one ``build_batch`` call, i.e. one ``nlp.pipe`` batch.
Pickling stays cheap: a RawPage is bytes plus a few strings; an ArticleEvent comes back as a model.
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.connection
import os
import sys
import threading
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from itertools import islice
from types import TracebackType

from ingest.core import ArticleBuilder, BuildResult, Rejection
from ingest.page import RawPage

# Pages per task. NER throughput is flat from 16 to 1,000 documents per nlp.pipe call (see
# ingest/entities.py), so 16 already batches well; small chunks spread a run's batch evenly over the
# workers (the last task of a build is short) and bound the memory of one task.
PAGES_PER_TASK = 16

# Chunks in flight per worker in ``build_iter``: 2 keeps a worker busy while the next chunk is
# pickled to it, without reading the whole input ahead.
CHUNKS_IN_FLIGHT_PER_WORKER = 2

# "forkserver": workers start from a clean process, not a fork of the caller, which may hold
# threads (Prefect, confluent-kafka) and locks that a fork would copy in a locked state.
START_METHOD = "forkserver"
# Modules the fork server imports before it forks any worker: the caller's main module (the
# default) and the one that loads the models.
FORKSERVER_PRELOAD = ["__main__", "ingest.pool_preload"]

# Exit status of a worker whose run process died (kill -9, a native abort): not a crash of its own.
ORPHANED_EXIT_STATUS = 3

WORKER_CRASH_DETAIL = "the worker process building this page died twice (native crash or out of memory)"

_builder: ArticleBuilder | None = None


def _exit_with_run() -> None:
    """Die as soon as the process that owns the pool does, however it died.

    A worker is forked by the fork server, so it is not the run's child and PR_SET_PDEATHSIG would
    watch the wrong process; and the fork server lives as long as any worker holds its "alive" pipe,
    the resource tracker as long as either does. So each worker watches the run itself:
    multiprocessing's parent sentinel is a pipe only the run process holds open, readable at its
    death. Then worker, fork server and resource tracker all end (no orphan holding ~1 GB of models).
    """
    parent = multiprocessing.parent_process()
    if parent is None:
        return

    def watch() -> None:
        multiprocessing.connection.wait([parent.sentinel])
        os._exit(ORPHANED_EXIT_STATUS)

    threading.Thread(target=watch, name="exit-with-run", daemon=True).start()


def _init_worker() -> None:
    global _builder
    _exit_with_run()
    preloaded = sys.modules.get("ingest.pool_preload")  # forked with the models loaded
    if preloaded is not None:
        _builder = preloaded.BUILDER
        return
    _builder = ArticleBuilder()
    _builder.warm_up()


def _ready() -> None:
    """A no-op task: submitting one per worker starts the workers (and their model loading)."""


def _build_chunk(pages: Sequence[RawPage]) -> list[BuildResult]:
    assert _builder is not None, "worker not initialised"
    return _builder.build_batch(pages)


class BuildPool:
    """``build(pages)`` on ``workers`` processes (default: all cores); ``workers=1`` runs in-process."""

    def __init__(self, workers: int | None = None, pages_per_task: int = PAGES_PER_TASK) -> None:
        self.workers = max(1, workers or os.cpu_count() or 1)
        self.pages_per_task = pages_per_task
        self._local: ArticleBuilder | None = None
        self._executor: ProcessPoolExecutor | None = None
        self._closed = False
        if self.workers > 1:
            self._executor = self._new_executor()
            # Start every worker now: models load (~2-6 s) while the caller discovers and fetches.
            for _ in range(self.workers):
                self._executor.submit(_ready)

    def _new_executor(self) -> ProcessPoolExecutor:
        context = multiprocessing.get_context(START_METHOD)
        context.set_forkserver_preload(FORKSERVER_PRELOAD)  # no effect once the fork server runs
        return ProcessPoolExecutor(self.workers, mp_context=context, initializer=_init_worker)

    def build(self, pages: Sequence[RawPage]) -> list[BuildResult]:
        """One result per page, in input order."""
        return list(self.build_iter(pages))

    def submit(self, pages: Sequence[RawPage]) -> PendingBuild:
        """Queue every chunk of ``pages`` on the workers now and return at once.

        Work queued by successive calls runs in call order, so a caller that submits the next batch
        before collecting this one keeps the workers busy across batch boundaries (``build`` leaves
        one worker idle while the other finishes a batch's last chunk). The pages are already in
        memory; the executor pickles a chunk only when a worker is about to take it.
        """
        if self._closed:
            raise RuntimeError("BuildPool is closed")
        chunks = list(_chunked(pages, self.pages_per_task))
        if self._executor is None:
            return PendingBuild(self, [(None, chunk) for chunk in chunks])
        return PendingBuild(self, [(self._submit(chunk), chunk) for chunk in chunks])

    def build_iter(self, pages: Iterable[RawPage]) -> Iterator[BuildResult]:
        """Streaming variant: results in input order as soon as their chunk is done; reads the
        input only ``CHUNKS_IN_FLIGHT_PER_WORKER`` chunks per worker ahead."""
        if self._closed:
            raise RuntimeError("BuildPool is closed")
        chunks = _chunked(pages, self.pages_per_task)
        if self._executor is None:
            for chunk in chunks:
                yield from self._results(None, chunk)
            return
        pending: deque[tuple[Future[list[BuildResult]], list[RawPage]]] = deque()
        for chunk in chunks:
            pending.append((self._submit(chunk), chunk))
            if len(pending) >= self.workers * CHUNKS_IN_FLIGHT_PER_WORKER:
                yield from self._collect(*pending.popleft())
        while pending:
            yield from self._collect(*pending.popleft())

    def _results(self, future: Future[list[BuildResult]] | None, chunk: list[RawPage]) -> list[BuildResult]:
        if future is None:  # one worker: built in this process, when collected
            if self._local is None:
                self._local = ArticleBuilder()
            return self._local.build_batch(chunk)
        return self._collect(future, chunk)

    def _submit(self, chunk: list[RawPage]) -> Future[list[BuildResult]]:
        assert self._executor is not None
        try:
            return self._executor.submit(_build_chunk, chunk)
        except BrokenProcessPool:
            self._restart()
            return self._executor.submit(_build_chunk, chunk)

    def _collect(self, future: Future[list[BuildResult]], chunk: list[RawPage]) -> list[BuildResult]:
        """The chunk's results; if a worker died (a native crash, the OOM killer), the pool is
        restarted and the chunk re-run page by page, so only a page that kills a worker again
        is lost, as a Rejection."""
        try:
            return future.result()
        except BrokenProcessPool:
            self._restart()
        results: list[BuildResult] = []
        for page in chunk:
            try:
                results.extend(self._submit([page]).result())
            except BrokenProcessPool:
                self._restart()
                reason = "extract_error:WorkerCrashed"
                results.append(Rejection(page.url, "extract", reason, WORKER_CRASH_DETAIL))
        return results

    def _restart(self) -> None:
        """A fresh executor, unless another failure in this batch already replaced the broken one."""
        assert self._executor is not None
        try:
            self._executor.submit(int)  # raises at once on a broken executor, else a no-op task
            return
        except BrokenProcessPool:
            pass
        self._executor.shutdown(wait=False, cancel_futures=True)
        self._executor = self._new_executor()

    def close(self) -> None:
        """Stop the workers (waits for running chunks). Safe to call twice."""
        self._closed = True
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)
            self._executor = None

    def __enter__(self) -> BuildPool:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()


class PendingBuild:
    """Pages queued by ``BuildPool.submit``; iterate (once) for their results in input order, a
    chunk at a time as each is done."""

    def __init__(self, pool: BuildPool, chunks: list[tuple[Future[list[BuildResult]] | None, list[RawPage]]]):
        self._pool = pool
        self._chunks = chunks

    def __len__(self) -> int:
        return sum(len(chunk) for _, chunk in self._chunks)

    def __iter__(self) -> Iterator[BuildResult]:
        while self._chunks:
            future, chunk = self._chunks.pop(0)
            yield from self._pool._results(future, chunk)

    def cancel(self) -> None:
        """Drop what has not started (a stopped run); chunks already running finish unseen."""
        for future, _ in self._chunks:
            if future is not None:
                future.cancel()
        self._chunks = []


def _chunked(pages: Iterable[RawPage], size: int) -> Iterator[list[RawPage]]:
    iterator = iter(pages)
    while chunk := list(islice(iterator, size)):
        yield chunk
