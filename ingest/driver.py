"""The one loop of a source run, for ``newsflow ingest`` and the Prefect flow alike.

Discover, then batch after batch, pipelined: batch N+1 is fetched while batch N is built, and
queued on the workers before batch N is collected and published, so the workers never wait at a
batch boundary. ``Steps`` says how each stage is called: directly (``DIRECT``) or as a Prefect task
(``flows/ingest_flow.py``). SIGTERM (or ``stop``) ends the run after the current batch; what is
left is counted ``not_processed`` and the publisher still flushes.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Protocol

from ingest.fetch.batch import FetchResult
from ingest.report import ProgressCallback, RunReport
from ingest.sources.candidate import Candidate

if TYPE_CHECKING:
    from ingest.run import Building, SourceRun


class Fetching(Protocol):
    """A batch being fetched in the background (a ``concurrent.futures`` or Prefect future)."""

    def result(self) -> FetchResult: ...


class Steps(Protocol):
    def discover(self, run: SourceRun) -> list[list[Candidate]]: ...

    def fetch(self, run: SourceRun, batch: list[Candidate], number: int) -> Fetching: ...

    def finish(self, run: SourceRun, building: Building, number: int, batches: int) -> None: ...


class DirectSteps:
    """Each stage a plain method call of the run."""

    def discover(self, run: SourceRun) -> list[list[Candidate]]:
        return run.discover()

    def fetch(self, run: SourceRun, batch: list[Candidate], number: int) -> Fetching:
        return run.fetch_ahead(batch)

    def finish(self, run: SourceRun, building: Building, number: int, batches: int) -> None:
        run.finish_build(building)


DIRECT = DirectSteps()


@contextmanager
def sigterm_sets(stop: threading.Event) -> Iterator[None]:
    """While inside, SIGTERM sets ``stop`` instead of killing the process (main thread only)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGTERM, lambda *_: stop.set())
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def drive(
    run: SourceRun,
    steps: Steps = DIRECT,
    stop: threading.Event | None = None,
    progress: ProgressCallback | None = None,
) -> RunReport:
    """Every stage of ``run`` in order; returns its report (final once the run is closed)."""
    stop = stop or threading.Event()
    with sigterm_sets(stop):
        batches = steps.discover(run)
        pending = steps.fetch(run, batches[0], 1) if batches else None
        building: Building | None = None
        for index in range(len(batches)):
            assert pending is not None
            fetched = pending.result()
            more = index + 1 < len(batches)
            pending = steps.fetch(run, batches[index + 1], index + 2) if more else None
            started = run.start_build(fetched)
            if building is not None:
                steps.finish(run, building, index, len(batches))
                if progress:
                    progress(run.report)
            building = started
            if stop.is_set():
                run.cancel_build(building)
                run.skip(batches[index + 1 :])
                return run.report
        if building is not None:
            steps.finish(run, building, len(batches), len(batches))
    return run.report
