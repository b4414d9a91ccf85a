"""The publish protocol of a source run: seen-store reserve -> produce -> confirm or release.

1. ``seen.classify_and_reserve`` before producing: content already on Kafka is ``unchanged``;
   otherwise its next revision is reserved (``ingest/seen_store.py``).
2. ``produce`` with a delivery callback per message. The callback only takes the report down:
   librdkafka calls it from inside ``poll``/``flush``, where another client call (a produce, a
   poll) aborts the process (``CallState_get``).
3. After each ``poll``/``flush`` (``_settle``), on the caller's thread: an acknowledged event is
   confirmed in the seen-store (the only moment it becomes "seen"); an unacknowledged one is
   released, so the next run publishes it again, and counted ``not_processed``.
Dead letters go to ``articles.dlq``; one Kafka does not acknowledge is counted in ``dlq_failed``
and fails the run (``ingest.failure_policy``). ``close`` flushes, purges what Kafka still has not
answered after ``FLUSH_TIMEOUT_S`` (released, never left reserved), and closes the producer.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from datetime import datetime

from confluent_kafka import KafkaError, KafkaException, Message

from ingest.core import Rejection
from ingest.page import RawPage
from ingest.publish.producer import (
    Record,
    dead_letter_record,
    event_record,
    make_producer,
    produce,
    too_large,
)
from ingest.report import RunReport
from ingest.run_log import get_logger
from ingest.seen_store import Decision, SeenStore
from schemas.article import ArticleEvent, IngestRun
from schemas.dead_letter import DeadLetter
from schemas.settings import Settings

log = get_logger(__name__)

# A run's final flush waits at most this long for outstanding acknowledgements; what is still
# unanswered then is purged and published again by the next run.
FLUSH_TIMEOUT_S = 60.0
# After a purge, librdkafka reports every purged message at once: this only bounds a stuck client.
PURGE_FLUSH_S = 5.0


@dataclass(frozen=True)
class _Reserved:
    """An event produced under a seen-store reservation, waiting for Kafka's answer."""

    event: ArticleEvent
    decision: Decision
    source_modified: datetime | None


# A delivery report as taken down by the callback: what was sent (an event, or None for a dead
# letter) and Kafka's error (None: acknowledged).
_Ack = tuple[_Reserved | None, KafkaError | None]


class Publisher:
    """Events through the seen-store to ``articles``, dead letters to ``articles.dlq``, one producer."""

    def __init__(
        self, settings: Settings, seen: SeenStore, report: RunReport, ingest_run: IngestRun | None = None
    ) -> None:
        self._settings = settings
        self._ingest_run = ingest_run  # the Prefect flow run, stamped on every event (None outside Prefect)
        self._seen = seen
        self._report = report
        self._producer = make_producer(settings)
        self._acks: deque[_Ack] = deque()
        self._events_out = 0  # produced, not yet answered
        self._letters_out = 0

    def publish(self, page: RawPage, result: ArticleEvent | Rejection) -> None:
        """An event through the seen-store to Kafka, a rejection to the DLQ. Acks arrive later."""
        if isinstance(result, ArticleEvent):
            self._report.extracted += 1
            self._event(result, page.hints.modified_at)
        else:
            self.dead_letter(
                DeadLetter(
                    url=page.url,
                    source=self._report.source,
                    stage=result.stage,
                    reason=result.reason,
                    detail=result.detail,
                )
            )

    def dead_letter(self, letter: DeadLetter) -> None:
        """Count the item dead-lettered and send its letter (its acknowledgement is checked at close)."""
        self._report.dead_lettered[(letter.stage, letter.reason)] += 1
        log.info("dead letter: %s %s %s", letter.stage, letter.reason, letter.url)
        self._send(dead_letter_record(letter, self._settings), None)

    def _event(self, event: ArticleEvent, source_modified: datetime | None) -> None:
        """``source_modified``: the source's date for the page, remembered once the event is on Kafka."""
        decision = self._seen.classify_and_reserve(event.id, event.content_hash)
        if decision.status == "unchanged":
            self._report.unchanged += 1
            if source_modified is not None and not decision.in_flight:
                self._seen.remember_url(event.url, source_modified)
            return
        update: dict[str, object] = {"revision": decision.revision, "ingest_run": self._ingest_run}
        if decision.status == "changed":
            update["modified_at"] = event.modified_at or event.fetched_at
        event = event.model_copy(update=update)
        record = event_record(event, self._report.source, self._settings)
        if isinstance(record, DeadLetter):
            self._seen.release(event.id, decision.revision)
            self.dead_letter(record)
            return
        self._send(record, _Reserved(event, decision, source_modified))

    def _send(self, record: Record, reserved: _Reserved | None) -> None:
        def delivered(error: KafkaError | None, _msg: Message) -> None:
            self._acks.append((reserved, error))  # nothing else here: see the module docstring

        try:
            produce(self._producer, record, delivered)
        except KafkaException as exc:
            if reserved is None:
                raise
            self._seen.release(reserved.event.id, reserved.decision.revision)
            if exc.args[0].code() != KafkaError.MSG_SIZE_TOO_LARGE:
                raise
            size = len(record.value)
            self.dead_letter(too_large(reserved.event, self._report.source, size, self._settings))
            return
        if reserved is None:
            self._letters_out += 1
        else:
            self._events_out += 1
        self._settle()

    def _settle(self) -> None:
        """Apply the delivery reports taken down since the last call (on the caller's thread)."""
        while self._acks:
            reserved, error = self._acks.popleft()
            if reserved is None:
                self._letters_out -= 1
                if error is not None:
                    self._report.dlq_failed += 1
                    log.error("dead letter not acknowledged by Kafka: %s", error.str())
            else:
                self._events_out -= 1
                if error is None:
                    self._acknowledged(reserved)
                else:
                    self._undelivered(reserved, error)

    def _acknowledged(self, reserved: _Reserved) -> None:
        event = reserved.event
        self._seen.confirm(event.id, event.revision, event.content_hash)
        if reserved.source_modified is not None:
            self._seen.remember_url(event.url, reserved.source_modified)
        self._report.published += 1
        self._report.new += reserved.decision.status == "new"
        self._report.changed += reserved.decision.status == "changed"

    def _undelivered(self, reserved: _Reserved, error: KafkaError) -> None:
        """Not on Kafka: not seen either, so the next run publishes it again (unless it never fits)."""
        self._seen.release(reserved.event.id, reserved.decision.revision)
        if error.code() == KafkaError.MSG_SIZE_TOO_LARGE:  # the topic's limit is below the producer's
            event = reserved.event
            self.dead_letter(too_large(event, self._report.source, len(event.text), self._settings))
            return
        self._report.not_processed += 1
        log.warning("event %s not acknowledged by Kafka (%s)", reserved.event.url, error.str())

    def close(self) -> None:
        """Wait for every acknowledgement (callbacks -> seen-store), release what never came, close."""
        try:
            self._producer.flush(FLUSH_TIMEOUT_S)
            self._settle()
            if self._events_out or self._letters_out:
                log.warning(
                    "Kafka did not answer for %d events and %d dead letters in %.0f s; purged",
                    self._events_out,
                    self._letters_out,
                    FLUSH_TIMEOUT_S,
                )
                self._producer.purge()  # their delivery reports come now, as failures
                self._producer.flush(PURGE_FLUSH_S)
                self._settle()
            self._report.not_processed += self._events_out  # a stuck client: never answered at all
            self._report.dlq_failed += self._letters_out
            self._events_out = self._letters_out = 0
        finally:
            self._producer.close()
