"""The bulk pipeline: one batch being filled, at most one bulk request in flight, retries scheduled.

The request runs on a background thread while the indexer reads and converts the next batch
(Elasticsearch and the decoding then use a core each). The pipeline never waits on Kafka and never
sleeps through a backoff: ``step`` hands back what Elasticsearch settled and, while it is
unavailable, *when* to try again (``Settled.retry_in_s``); the indexer's loop alone decides to
poll, pause and flush meanwhile. Records not yet settled stay in the pipeline until Elasticsearch
answers for them, or until ``drop`` (their partition moved to another member).
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field

from elasticsearch import Elasticsearch

from indexing import bulk
from indexing.failure_policy import Backoff
from indexing.offsets import TopicPartition


@dataclass
class Settled:
    """What Elasticsearch answered for since the last call; ``retry_in_s`` when some must wait."""

    indexed: list[bulk.IndexRecord] = field(default_factory=list)
    rejected: list[bulk.Rejection] = field(default_factory=list)
    retry_in_s: float | None = None
    why: str = ""
    attempt: int = 0  # which consecutive failed attempt ``retry_in_s`` follows

    def add(self, answer: bulk.Answer) -> None:
        self.indexed += answer.indexed
        self.rejected += answer.rejected


class BulkPipeline:
    """``batch`` is filled by the caller; ``send`` starts it, ``step`` collects (never blocks)."""

    def __init__(self, es: Elasticsearch, limits: bulk.BatchLimits, backoff: Backoff) -> None:
        self.batch = bulk.Batch(limits)
        self._es = es
        self._backoff = backoff
        self._sender = ThreadPoolExecutor(max_workers=1, thread_name_prefix="bulk")
        self._unsettled: list[bulk.IndexRecord] = []  # sent, no final answer yet
        self._request: Future[bulk.Answer] | None = None
        self._failures = 0  # consecutive attempts that left records to retry
        self._retry_at: float | None = None

    @property
    def busy(self) -> bool:
        """A request is in flight or waiting to be retried: ``send`` must wait."""
        return bool(self._unsettled)

    @property
    def backing_off(self) -> bool:
        """Elasticsearch is unavailable: the unsettled records wait for their retry time."""
        return self._retry_at is not None

    def send(self) -> None:
        """Start the batch being filled as the request in flight (the pipeline must not be busy)."""
        assert not self.busy, "one request at a time: step() or wait() first"
        records = self.batch.take()
        if records:
            self._start(records)

    def _start(self, records: list[bulk.IndexRecord]) -> None:
        self._unsettled = records
        self._retry_at = None
        self._request = self._sender.submit(bulk.attempt, self._es, records)

    def step(self, now: float | None = None) -> Settled:
        """Collect a finished request and start a retry that is due; returns at once."""
        now = time.monotonic() if now is None else now
        if self._request is None:
            if self._retry_at is not None and now >= self._retry_at:
                self._start(self._unsettled)
            return Settled()
        if not self._request.done():
            return Settled()
        return self._answered(self._request.result(), now)

    def wait(self) -> Settled:
        """Wait for the request in flight (if any) and collect it: the flush of a full batch."""
        if self._request is None:
            return Settled()
        return self._answered(self._request.result(), time.monotonic())

    def _answered(self, answer: bulk.Answer, now: float) -> Settled:
        self._request = None
        settled = Settled()
        settled.add(answer)
        self._unsettled = answer.retry
        if not answer.retry:
            self._failures = 0
            return settled
        settled.retry_in_s = self._backoff.delay_s(self._failures)
        self._failures += 1
        settled.attempt, settled.why = self._failures, answer.why
        self._retry_at = now + settled.retry_in_s
        return settled

    def finish_once(self) -> Settled:
        """Before stopping or losing partitions: the request in flight answered, then everything
        unsettled and the batch being filled sent once more and answered. What Elasticsearch still
        cannot take stays unsettled (``leftover``), to be retried or abandoned by the caller."""
        settled = self.wait()
        records = self._unsettled + self.batch.take()
        if records:
            self._start(records)
            final = self.wait()
            settled.add(final)
            settled.retry_in_s, settled.why, settled.attempt = final.retry_in_s, final.why, final.attempt
        return settled

    def leftover(self) -> int:
        """Records that have no answer yet (unsettled and in the batch being filled)."""
        return len(self._unsettled) + len(self.batch)

    def drop(self, partitions: Iterable[TopicPartition]) -> None:
        """Forget the records of revoked partitions (their new owner reads them again)."""
        revoked = set(partitions)
        self.batch.drop(revoked)
        if self._request is None:
            self._unsettled = [record for record in self._unsettled if record.tp not in revoked]
            if not self._unsettled:
                self._retry_at = None

    def close(self) -> None:
        """Wait for a request still in flight (its answer is no longer needed)."""
        self._sender.shutdown(wait=True)
