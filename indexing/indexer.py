"""The indexer: consumes article events from Kafka and writes them to Elasticsearch, exactly-once in effect.

The loop (``Indexer._loop``) is the only place that decides what happens next: poll -> decode ->
batch -> bulk -> dead-letter -> commit, pausing the partitions while Elasticsearch is unavailable.
Its parts have one job each: ``bulk_pipeline`` sends batches (one request in flight) and says when
to retry, ``partitions`` tracks what is safe to commit, ``dead_letters`` writes the index DLQ.
An offset is committed only when every record before it in its partition is indexed or
dead-lettered; writes are idempotent (``_id`` = article id) and ordered by revision (external
versioning), so whatever is read again after a crash or a rebalance changes nothing. What each
failure leads to is in ``failure_policy``.
"""

from __future__ import annotations

import logging
import signal
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from confluent_kafka import Consumer, KafkaError, KafkaException, Message
from confluent_kafka import TopicPartition as KafkaTopicPartition
from elasticsearch import Elasticsearch

from indexing import bulk, templates
from indexing.bulk_pipeline import BulkPipeline, Settled
from indexing.dead_letters import DeadLetterWriter
from indexing.documents import UndecodableEvent, decode_event, to_index_document
from indexing.failure_policy import DEAD_LETTER_STAGE, POLICY, Action, Backoff, Failure, classify_exception
from indexing.offsets import TopicPartition
from indexing.partitions import Partitions, label, tp_of
from infra.client_logs import ServiceState, kafka_client_config, quiet_elasticsearch_client
from schemas.dead_letter import DeadLetter
from schemas.settings import Settings

log = logging.getLogger(__name__)

# poll() timeout: short enough that linger deadlines, due retries and stop requests are served promptly
# (while Elasticsearch is unavailable the partitions are paused and the loop keeps polling in these
# slices, so group heartbeats, rebalances and stop requests are handled during a long backoff).
POLL_TIMEOUT_S = 0.2
# How often progress (docs/s, lag per partition) is logged.
PROGRESS_INTERVAL_S = 5.0
# A crashed indexer's partitions move to a survivor after this long. Heartbeats come from librdkafka's
# background thread, not from poll(), so a long ES outage does not expire the session; 10 s is well above
# a heartbeat interval (3 s) and the broker's 6 s minimum, and 4.5x faster than the 45 s default.
SESSION_TIMEOUT_MS = 10_000
# Dead-letter details are cut here: enough for ES's reason and caused_by chain, not a whole document.
DETAIL_MAX_CHARS = 2_000


@dataclass
class IndexReport:
    """What one run did: counts, and the lag it left per partition (``topic[partition]`` -> messages)."""

    indexed: int = 0
    dead_lettered: int = 0
    elapsed_s: float = 0.0
    lag: dict[str, int] = field(default_factory=dict)

    @property
    def docs_per_s(self) -> float:
        return self.indexed / self.elapsed_s if self.elapsed_s else 0.0


def consumer_config(settings: Settings, group: str) -> dict[str, Any]:
    """Manual commits of safe offsets only; cooperative rebalancing so scale-out does not stop the world."""
    return {
        "bootstrap.servers": settings.kafka_bootstrap,
        "group.id": group,
        "enable.auto.commit": False,
        "enable.auto.offset.store": False,
        "auto.offset.reset": "earliest",
        "partition.assignment.strategy": "cooperative-sticky",
        "session.timeout.ms": SESSION_TIMEOUT_MS,
        **kafka_client_config(ServiceState(f"Kafka at {settings.kafka_bootstrap} (indexer)", log)),
    }


@contextmanager
def signals_stop(stop: Callable[[], None]) -> Iterator[None]:
    """While inside, SIGTERM/SIGINT call ``stop`` (main thread only)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {sig: signal.signal(sig, lambda *_: stop()) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


class Indexer:
    """One member of the indexer group. ``run()`` until stopped, or until caught up with the topic."""

    def __init__(
        self,
        settings: Settings,
        *,
        topic: str | None = None,
        group: str | None = None,
        target: str | None = None,
        es: Elasticsearch | None = None,
        backoff: Backoff = Backoff(),  # noqa: B008 - frozen dataclass, safe as a default
        consumer_overrides: dict[str, Any] | None = None,
    ) -> None:
        """``target`` is the alias (default) or a concrete index (rebuild); the alias must exist."""
        self.settings = settings
        self.topic = topic or settings.articles_topic
        self.group = group or settings.indexer_group
        self.target = target or settings.index_alias
        self.es = es or Elasticsearch(settings.es_url)
        self.backoff = backoff
        self._consumer_config = consumer_config(settings, self.group) | (consumer_overrides or {})
        self._stop = threading.Event()
        self._partitions = Partitions()
        self._held: list[Message] = []  # read while the batch could not be sent; accepted after it
        self._paused = False
        self._report = IndexReport()
        self._require_alias = True
        self._es_state = ServiceState(f"Elasticsearch at {settings.es_url}", log)

    @property
    def report(self) -> IndexReport:
        """Counts so far (final once :meth:`run` returned)."""
        return self._report

    def assignment(self) -> set[TopicPartition]:
        """The partitions this member owns right now."""
        return set(self._partitions.assigned)

    def stop(self) -> None:
        """Ask the loop to stop: the batch is sent once more if ES answers, else abandoned uncommitted."""
        self._stop.set()

    def run(self, *, until_caught_up: bool = False) -> IndexReport:
        """Consume and index until :meth:`stop` (or SIGTERM/SIGINT), or until caught up if asked."""
        started = time.monotonic()
        quiet_elasticsearch_client()
        self._require_alias = self._wait_for_elasticsearch()
        limits = bulk.BatchLimits.from_settings(self.settings)
        self._pipeline = BulkPipeline(self.es, limits, self.backoff)
        self._dlq = DeadLetterWriter(
            self.settings.kafka_bootstrap, self.settings.index_dlq_topic, self._partitions.tracker.done
        )
        self._consumer = Consumer(self._consumer_config)
        try:
            with signals_stop(self.stop):
                self._consumer.subscribe(
                    [self.topic], on_assign=self._on_assign, on_revoke=self._on_revoke, on_lost=self._on_lost
                )
                self._loop(until_caught_up)
                self._finish_once()
        finally:
            self._close()
        self._report.elapsed_s = time.monotonic() - started
        return self._report

    def _wait_for_elasticsearch(self) -> bool:
        """Wait (with backoff, stoppable) until ES answers; returns whether the target is an alias."""
        attempt = 0
        while True:
            try:
                behind = bool(templates.indices_behind(self.es, self.target))
            except Exception as exc:
                if POLICY[classify_exception(exc)] is not Action.RETRY or self._stop.is_set():
                    raise
                self._es_state.down(f"at start: {type(exc).__name__}")
                self._stop.wait(self.backoff.delay_s(attempt))
                attempt += 1
                continue
            self._es_state.up()
            return behind

    def _close(self) -> None:
        self._pipeline.close()  # a request still in flight (after an error) ends first
        undelivered = self._dlq.close()
        if undelivered:
            log.warning("%d dead letters undelivered at close; their offsets stay uncommitted", undelivered)
        self._partitions.commit(self._consumer)
        self._report.lag = self._partitions.lag(self._consumer)
        self._consumer.close()
        log.info(
            "indexer stopped: %d indexed, %d dead-lettered, lag %s",
            self._report.indexed,
            self._report.dead_lettered,
            self._report.lag,
        )

    # ------------------------------------------------------------------ the loop: it alone decides

    def _loop(self, until_caught_up: bool) -> None:
        last_progress = (time.monotonic(), 0)
        while not self._stop.is_set():
            if until_caught_up and self._caught_up():
                return
            msg = self._consumer.poll(POLL_TIMEOUT_S)
            self._dlq.poll()
            if msg is not None:
                self._accept(msg)
            self._apply(self._pipeline.step())
            if not self._pipeline.backing_off:
                self._accept_held()
                if self._pipeline.batch.is_due():
                    self._flush()
            self._pause_while(self._pipeline.backing_off or bool(self._held))
            self._partitions.commit(self._consumer)
            last_progress = self._progress(last_progress)

    def _accept(self, msg: Message) -> None:
        error = msg.error()
        if error is not None:
            if error.fatal():
                raise KafkaException(error)
            if error.code() != KafkaError._PARTITION_EOF:
                log.warning("consumer error: %s", error)
            return
        if self._held:
            self._held.append(msg)  # after the messages already waiting, in order
            return
        try:
            document = to_index_document(decode_event(msg.value()))
        except UndecodableEvent as exc:
            self._partitions.tracker.add(tp_of(msg), msg.offset())
            self._dead_letter(msg, exc.failure, exc.failure.value, exc.detail)
            return
        record = bulk.IndexRecord.build(
            tp_of(msg), msg.offset(), document, self.target, require_alias=self._require_alias
        )
        batch = self._pipeline.batch
        if not batch.fits(record):
            self._flush()
        if not batch.fits(record):  # Elasticsearch is backing off: the batch stays full
            self._held.append(msg)
            return
        self._partitions.tracker.add(record.tp, record.offset)
        batch.add(record)
        if batch.is_full():
            self._flush()

    def _accept_held(self) -> None:
        held, self._held = self._held, []
        for msg in held:
            self._accept(msg)

    def _flush(self) -> None:
        """Send the batch: first wait for the request in flight (one at a time), unless ES is backing off."""
        if not self._pipeline.backing_off:
            self._apply(self._pipeline.wait())
        if not self._pipeline.busy:
            self._pipeline.send()

    def _apply(self, settled: Settled) -> None:
        """Mark what Elasticsearch settled done (its offsets may be committed), dead-letter rejections."""
        for record in settled.indexed:
            self._partitions.tracker.done(record.tp, record.offset)
        self._report.indexed += len(settled.indexed)
        for rejection in settled.rejected:
            self._dead_letter_rejection(rejection)
        if settled.retry_in_s is not None:  # one log line when ES goes away, one when it is back
            self._es_state.down(f"{settled.why}; partitions paused, retrying")
        elif settled.indexed or settled.rejected:
            self._es_state.up()

    def _pause_while(self, waiting: bool) -> None:
        """Paused partitions keep the member in its group without reading more than it can hold."""
        assignment = self._consumer.assignment()
        if waiting and assignment:
            self._consumer.pause(assignment)
        elif not waiting and self._paused:
            self._consumer.resume(assignment)
        self._paused = waiting and bool(assignment)

    def _finish_once(self) -> None:
        """Stopping: the batch is sent once more; what ES cannot take now stays uncommitted."""
        self._apply(self._pipeline.finish_once())
        if self._pipeline.leftover():
            log.warning(
                "abandoned %d documents (stopping while ES is unavailable); not committed",
                self._pipeline.leftover(),
            )

    # ------------------------------------------------------------------ dead letters

    def _dead_letter(self, msg: Message, failure: Failure, reason: str, detail: str) -> None:
        letter = DeadLetter(
            stage=DEAD_LETTER_STAGE[failure],
            reason=reason,
            detail=detail[:DETAIL_MAX_CHARS],
            topic=msg.topic(),
            partition=msg.partition(),
            offset=msg.offset(),
        )
        self._dlq.send(letter, msg.value())
        self._report.dead_lettered += 1

    def _dead_letter_rejection(self, rejection: bulk.Rejection) -> None:
        record = rejection.record
        letter = DeadLetter(
            stage=DEAD_LETTER_STAGE[Failure.DOCUMENT_REJECTED],
            reason=rejection.reason,
            detail=rejection.detail[:DETAIL_MAX_CHARS],
            url=record.url,
            article_id=record.article_id,
            source=record.source,
            topic=record.tp[0],
            partition=record.tp[1],
            offset=record.offset,
        )
        self._dlq.send(letter, None)
        self._report.dead_lettered += 1

    # ------------------------------------------------------------------ rebalances (inside poll)

    def _on_assign(self, consumer: Consumer, partitions: list[KafkaTopicPartition]) -> None:
        self._partitions.assign(consumer, partitions)

    def _on_revoke(self, consumer: Consumer, partitions: list[KafkaTopicPartition]) -> None:
        """Before losing partitions: the batch sent once more, what is safe committed, the rest forgotten.
        Called from ``poll`` only, never during a bulk request: the pipeline does not poll."""
        revoked = {tp_of(p) for p in partitions}
        self._apply(self._pipeline.finish_once())
        self._partitions.commit(consumer, only=revoked)
        self._forget(revoked)
        log.info("revoked %s", sorted(label(tp) for tp in revoked))

    def _on_lost(self, consumer: Consumer, partitions: list[KafkaTopicPartition]) -> None:
        """Partitions already owned by someone else: committing is not allowed, only forgetting."""
        self._forget({tp_of(p) for p in partitions})

    def _forget(self, revoked: set[TopicPartition]) -> None:
        self._pipeline.drop(revoked)
        self._held = [msg for msg in self._held if tp_of(msg) not in revoked]
        self._partitions.forget(revoked)

    # ------------------------------------------------------------------ progress

    def _caught_up(self) -> bool:
        """All up to the high watermarks seen at assignment is indexed or dead-lettered, and committed."""
        if self._pipeline.leftover() or self._pipeline.busy or self._held:
            return False
        return self._partitions.caught_up()

    def _progress(self, last: tuple[float, int]) -> tuple[float, int]:
        """Log progress every ``PROGRESS_INTERVAL_S``; returns the new (time, indexed) mark."""
        now = time.monotonic()
        last_time, last_indexed = last
        if now - last_time < PROGRESS_INTERVAL_S:
            return last
        rate = (self._report.indexed - last_indexed) / (now - last_time)
        log.info(
            "indexed %d (%.0f docs/s), dead-lettered %d, lag %s",
            self._report.indexed,
            rate,
            self._report.dead_lettered,
            self._partitions.lag(self._consumer),
        )
        return (now, self._report.indexed)


def run_until_caught_up(settings: Settings, **kwargs: Any) -> IndexReport:
    """Micro-batch mode (for flows): index everything in the topic now, commit, and return the report.

    ``kwargs`` are :class:`Indexer`'s; the index and alias are created first if missing.
    """
    indexer = Indexer(settings, **kwargs)
    templates.ensure_index(indexer.es, indexer.target)
    return indexer.run(until_caught_up=True)


def run_forever(
    settings: Settings, on_start: Callable[[Indexer], None] | None = None, **kwargs: Any
) -> IndexReport:
    """Streaming mode: index as events arrive until SIGTERM/SIGINT (or ``Indexer.stop``)."""
    indexer = Indexer(settings, **kwargs)
    templates.ensure_index(indexer.es, indexer.target)
    if on_start is not None:
        on_start(indexer)
    return indexer.run()
