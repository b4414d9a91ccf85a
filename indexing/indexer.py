"""The indexer: consumes article events from Kafka and writes them to Elasticsearch, exactly-once in effect.

The loop: poll -> decode -> batch -> bulk -> dead-letter -> commit. One bulk request at a time is in flight
on a background thread while the loop reads and converts the next batch (Elasticsearch and the decoding then
use a core each); everything else, retries included, happens on the loop's thread. An offset is committed
only when every record before it in its partition is indexed or dead-lettered (``offsets.OffsetTracker``);
writes are idempotent (``_id`` = article id) and ordered by revision (external versioning), so whatever is
read again after a crash or a rebalance changes nothing. What each failure leads to is in
``failure_policy``.
"""

from __future__ import annotations

import logging
import signal
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from confluent_kafka import (
    OFFSET_INVALID,
    Consumer,
    ConsumerGroupTopicPartitions,
    KafkaError,
    KafkaException,
    Message,
)
from confluent_kafka import TopicPartition as KafkaTopicPartition
from confluent_kafka.admin import AdminClient, OffsetSpec
from elasticsearch import Elasticsearch

from indexing import bulk, templates
from indexing.dead_letters import DeadLetterWriter
from indexing.documents import UndecodableEvent, decode_event, to_index_document
from indexing.failure_policy import DEAD_LETTER_STAGE, POLICY, Action, Backoff, Failure, classify_exception
from indexing.offsets import OffsetTracker, TopicPartition
from infra.client_logs import ServiceState, kafka_client_config, quiet_elasticsearch_client
from schemas.dead_letter import DeadLetter
from schemas.settings import Settings

log = logging.getLogger(__name__)

# poll() timeout when idle: short enough that linger deadlines and stop requests are served promptly.
POLL_TIMEOUT_S = 0.2
# While Elasticsearch is unavailable the consumer keeps polling (paused) in slices of this length, so that
# group heartbeats, rebalances and stop requests are handled during a long backoff.
PAUSED_POLL_S = 0.2
# How often progress (docs/s, lag per partition) is logged.
PROGRESS_INTERVAL_S = 5.0
# A crashed indexer's partitions move to a survivor after this long. Heartbeats come from librdkafka's
# background thread, not from poll(), so a long ES outage does not expire the session; 10 s is well above
# a heartbeat interval (3 s) and the broker's 6 s minimum, and 4.5x faster than the 45 s default.
SESSION_TIMEOUT_MS = 10_000
# Broker metadata calls (watermarks, committed offsets) that take longer than this mean Kafka is unwell.
METADATA_TIMEOUT_S = 10.0
# Dead-letter details are cut here: enough for ES's reason and caused_by chain, not a whole document.
DETAIL_MAX_CHARS = 2_000


@dataclass
class _InFlight:
    """A batch whose first bulk request runs in the background; ``response`` holds its items."""

    records: list[bulk.IndexRecord]
    response: Future[bulk.Items]


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


def _tp(partition: KafkaTopicPartition | Message) -> TopicPartition:
    if isinstance(partition, KafkaTopicPartition):
        return (partition.topic, partition.partition)
    return (partition.topic(), partition.partition())


def _label(tp: TopicPartition) -> str:
    return f"{tp[0]}[{tp[1]}]"


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


def reset_to_beginning(settings: Settings, group: str, topic: str) -> dict[int, int]:
    """Move the group's committed offsets to the start of every partition (replay). The group must be idle."""
    admin = AdminClient({"bootstrap.servers": settings.kafka_bootstrap})
    metadata = admin.list_topics(topic, timeout=METADATA_TIMEOUT_S).topics[topic]
    if metadata.error is not None:
        raise KafkaException(metadata.error)
    specs = {KafkaTopicPartition(topic, p): OffsetSpec.earliest() for p in metadata.partitions}
    earliest = {tp.partition: f.result().offset for tp, f in admin.list_offsets(specs).items()}
    request = ConsumerGroupTopicPartitions(
        group, [KafkaTopicPartition(topic, p, offset) for p, offset in sorted(earliest.items())]
    )
    for future in admin.alter_consumer_group_offsets([request]).values():
        future.result()
    return earliest


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
        self._tracker = OffsetTracker()
        self._batch = bulk.Batch(bulk.BatchLimits.from_settings(settings))
        self._held: list[Message] = []  # read while a batch was being retried; processed after it
        self._in_flight: _InFlight | None = None
        self._sender: ThreadPoolExecutor | None = None
        self._assigned: set[TopicPartition] = set()
        self._ever_assigned = False
        self._start_offsets: dict[TopicPartition, int] = {}
        self._targets: dict[TopicPartition, int] = {}
        self._delivering = False
        self._paused = False
        self._report = IndexReport()
        self._consumer: Consumer | None = None
        self._dlq: DeadLetterWriter | None = None
        self._last_progress = (time.monotonic(), 0)
        self._require_alias = True
        self._es_state = ServiceState(f"Elasticsearch at {settings.es_url}", log)

    # ------------------------------------------------------------------ lifecycle

    @property
    def report(self) -> IndexReport:
        """Counts so far (final once :meth:`run` returned)."""
        return self._report

    def assignment(self) -> set[TopicPartition]:
        """The partitions this member owns right now."""
        return set(self._assigned)

    def stop(self) -> None:
        """Ask the loop to stop: the in-flight batch is finished if ES answers, else abandoned uncommitted."""
        self._stop.set()

    def run(self, *, until_caught_up: bool = False) -> IndexReport:
        """Consume and index until :meth:`stop` (or SIGTERM/SIGINT), or until caught up if asked."""
        started = time.monotonic()
        quiet_elasticsearch_client()
        self._require_alias = self._wait_for_elasticsearch()
        self._dlq = DeadLetterWriter(self.settings.kafka_bootstrap, self.settings.index_dlq_topic, self._done)
        self._consumer = Consumer(self._consumer_config)
        self._sender = ThreadPoolExecutor(max_workers=1, thread_name_prefix="bulk")
        try:
            with self._signals_stop():
                self._consumer.subscribe(
                    [self.topic], on_assign=self._on_assign, on_revoke=self._on_revoke, on_lost=self._on_lost
                )
                self._loop(until_caught_up)
                self._flush(single_attempt=True)
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

    @contextmanager
    def _signals_stop(self) -> Iterator[None]:
        if threading.current_thread() is not threading.main_thread():
            yield
            return
        previous = {
            sig: signal.signal(sig, lambda *_: self.stop()) for sig in (signal.SIGTERM, signal.SIGINT)
        }
        try:
            yield
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)

    def _close(self) -> None:
        assert self._consumer is not None and self._dlq is not None and self._sender is not None
        self._sender.shutdown(wait=True)  # a request still in flight (after an error) ends first
        undelivered = self._dlq.close()
        if undelivered:
            log.warning("%d dead letters undelivered at close; their offsets stay uncommitted", undelivered)
        self._commit()
        self._report.lag = self._lag()
        self._consumer.close()
        log.info(
            "indexer stopped: %d indexed, %d dead-lettered, lag %s",
            self._report.indexed,
            self._report.dead_lettered,
            self._report.lag,
        )

    # ------------------------------------------------------------------ the loop

    def _loop(self, until_caught_up: bool) -> None:
        assert self._consumer is not None and self._dlq is not None
        while not self._stop.is_set():
            if until_caught_up and self._caught_up():
                return
            msg = self._consumer.poll(POLL_TIMEOUT_S)
            self._dlq.poll()
            if msg is not None:
                self._accept(msg)
            if self._in_flight is not None and self._in_flight.response.done():
                self._settle()
            if self._batch.is_due():
                self._flush()
            self._commit()
            self._progress()

    def _accept(self, msg: Message) -> None:
        error = msg.error()
        if error is not None:
            if error.fatal():
                raise KafkaException(error)
            if error.code() != KafkaError._PARTITION_EOF:
                log.warning("consumer error: %s", error)
            return
        tp, offset = _tp(msg), msg.offset()
        self._tracker.add(tp, offset)
        try:
            document = to_index_document(decode_event(msg.value()))
        except UndecodableEvent as exc:
            self._dead_letter(msg, exc.failure, exc.failure.value, exc.detail)
            return
        record = bulk.IndexRecord.build(tp, offset, document, self.target, require_alias=self._require_alias)
        if not self._batch.fits(record):
            self._flush()
        self._batch.add(record)
        if self._batch.is_full():
            self._flush()

    def _dead_letter(self, msg: Message, failure: Failure, reason: str, detail: str) -> None:
        assert self._dlq is not None
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

    def _done(self, tp: TopicPartition, offset: int) -> None:
        self._tracker.done(tp, offset)

    # ------------------------------------------------------------------ bulk, with pause while ES is away

    def _flush(self, *, single_attempt: bool = False) -> None:
        """Send the batch in the background once the previous one is settled (one request in flight).

        ``single_attempt`` (stopping, losing partitions): also wait for it, and give up if ES is unavailable.
        """
        self._settle(single_attempt=single_attempt)
        records = self._batch.take()
        if records:
            assert self._sender is not None
            self._in_flight = _InFlight(records, self._sender.submit(bulk.send, self.es, records))
        if single_attempt:
            self._settle(single_attempt=True)

    def _settle(self, *, single_attempt: bool = False) -> None:
        """Wait for the batch in flight; retry what ES could not take (pausing, polling), then mark records
        done, dead-letter rejections and commit. Returns with nothing in flight."""
        while self._in_flight is not None:
            in_flight, self._in_flight = self._in_flight, None
            self._delivering = True
            hooks = _SingleAttempt() if single_attempt else _PausedRetry(self)
            try:
                outcome = bulk.write(
                    self.es,
                    in_flight.records,
                    hooks,
                    self.backoff,
                    on_retry=self._on_retry,
                    first_attempt=in_flight.response.result,
                )
            except bulk.Stopped:
                log.warning(
                    "abandoned a batch of %d documents (stopping while ES is unavailable)",
                    len(in_flight.records),
                )
                return
            finally:
                self._delivering = False
                self._resume()
            self._es_state.up()
            for record in outcome.indexed:
                self._tracker.done(record.tp, record.offset)
            self._report.indexed += len(outcome.indexed)
            for rejection in outcome.rejected:
                self._dead_letter_rejection(rejection)
            self._commit()
            held, self._held = self._held, []
            for msg in held:  # may send the next batch: settled by this loop too
                self._accept(msg)

    def _dead_letter_rejection(self, rejection: bulk.Rejection) -> None:
        assert self._dlq is not None
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

    def _on_retry(self, attempt: int, why: str) -> None:
        self._es_state.down(f"{why}; partitions paused")

    def _wait_paused(self, seconds: float) -> None:
        """Back off without leaving the group: pause every assigned partition and keep polling."""
        assert self._consumer is not None and self._dlq is not None
        deadline = time.monotonic() + seconds
        while not self._stop.is_set() and time.monotonic() < deadline:
            self._pause()
            msg = self._consumer.poll(min(PAUSED_POLL_S, max(0.0, deadline - time.monotonic())))
            if msg is not None and msg.error() is None:
                self._held.append(msg)
            self._dlq.poll()
            self._commit()

    def _pause(self) -> None:
        assert self._consumer is not None
        assignment = self._consumer.assignment()
        if assignment:
            self._consumer.pause(assignment)
            self._paused = True

    def _resume(self) -> None:
        assert self._consumer is not None
        if self._paused:
            self._consumer.resume(self._consumer.assignment())
            self._paused = False

    # ------------------------------------------------------------------ commits and rebalances

    def _commit(self, only: set[TopicPartition] | None = None) -> None:
        assert self._consumer is not None
        offsets = {
            tp: offset
            for tp, offset in self._tracker.committable().items()
            if tp in self._assigned and (only is None or tp in only)
        }
        if not offsets:
            return
        try:
            results = self._consumer.commit(
                offsets=[KafkaTopicPartition(t, p, o) for (t, p), o in offsets.items()], asynchronous=False
            )
        except KafkaException as exc:  # e.g. a rebalance in progress: retried on the next loop
            log.warning("commit of %s failed: %s", offsets, exc)
            return
        failed = {_tp(p) for p in results or [] if p.error is not None}
        if failed:
            log.warning("commit failed for %s; retried on the next loop", sorted(failed))
        self._tracker.mark_committed({tp: o for tp, o in offsets.items() if tp not in failed})

    def _on_assign(self, consumer: Consumer, partitions: list[KafkaTopicPartition]) -> None:
        self._ever_assigned = True
        if not partitions:
            return
        committed = consumer.committed(partitions, timeout=METADATA_TIMEOUT_S)
        for partition in committed:
            tp = _tp(partition)
            low, high = consumer.get_watermark_offsets(partition, timeout=METADATA_TIMEOUT_S, cached=False)
            start = partition.offset if partition.offset != OFFSET_INVALID and partition.offset >= 0 else low
            self._start_offsets[tp] = max(start, low)
            self._targets[tp] = high
            self._assigned.add(tp)
        log.info("assigned %s", sorted(_label(_tp(p)) for p in partitions))

    def _on_revoke(self, consumer: Consumer, partitions: list[KafkaTopicPartition]) -> None:
        """Before losing partitions: index the batch (one attempt), commit what is safe, forget the rest."""
        revoked = {_tp(p) for p in partitions}
        if not self._delivering:
            self._flush(single_attempt=True)
        self._commit(only=revoked)
        self._forget(revoked)
        log.info("revoked %s", sorted(_label(tp) for tp in revoked))

    def _on_lost(self, consumer: Consumer, partitions: list[KafkaTopicPartition]) -> None:
        """Partitions already owned by someone else: committing is not allowed, only forgetting."""
        self._forget({_tp(p) for p in partitions})

    def _forget(self, revoked: set[TopicPartition]) -> None:
        self._batch.drop(revoked)
        self._held = [msg for msg in self._held if _tp(msg) not in revoked]
        self._tracker.drop(revoked)
        self._assigned -= revoked
        for tp in revoked:
            self._start_offsets.pop(tp, None)
            self._targets.pop(tp, None)

    # ------------------------------------------------------------------ progress

    def _position(self, tp: TopicPartition) -> int:
        return self._tracker.safe_offsets().get(tp, self._start_offsets.get(tp, 0))

    def _caught_up(self) -> bool:
        """All up to the high watermarks seen at assignment is indexed or dead-lettered, and committed."""
        if not self._ever_assigned or len(self._batch) or self._held or self._tracker.pending():
            return False
        if self._tracker.committable():
            return False
        return all(self._position(tp) >= self._targets.get(tp, 0) for tp in self._assigned)

    def _lag(self) -> dict[str, int]:
        """Messages not yet committed per partition, from the high watermark of the last fetch.

        The cached watermark costs nothing; asking the broker (``cached=False``) queues behind the
        in-flight fetch (up to ``fetch.wait.max.ms``, 500 ms) per partition, which halved throughput
        when progress was logged. Only a partition not fetched yet is asked.
        """
        assert self._consumer is not None
        lag = {}
        for tp in sorted(self._assigned):
            partition = KafkaTopicPartition(*tp)
            try:
                _, high = self._consumer.get_watermark_offsets(partition, cached=True)
                if high < 0:
                    _, high = self._consumer.get_watermark_offsets(partition, timeout=METADATA_TIMEOUT_S)
            except KafkaException:
                continue
            lag[_label(tp)] = max(0, high - self._position(tp))
        return lag

    def _progress(self) -> None:
        now = time.monotonic()
        last_time, last_indexed = self._last_progress
        if now - last_time < PROGRESS_INTERVAL_S:
            return
        rate = (self._report.indexed - last_indexed) / (now - last_time)
        self._last_progress = (now, self._report.indexed)
        log.info(
            "indexed %d (%.0f docs/s), dead-lettered %d, lag %s",
            self._report.indexed,
            rate,
            self._report.dead_lettered,
            self._lag(),
        )


class _PausedRetry:
    def __init__(self, indexer: Indexer) -> None:
        self._indexer = indexer

    def wait(self, seconds: float) -> None:
        self._indexer._wait_paused(seconds)

    def stopping(self) -> bool:
        return self._indexer._stop.is_set()


class _SingleAttempt:
    """Retry hooks that give up at the first retry: used when stopping and before losing partitions."""

    def wait(self, seconds: float) -> None:
        raise bulk.Stopped

    def stopping(self) -> bool:
        return True


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
