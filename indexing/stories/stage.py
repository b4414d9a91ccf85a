"""The stories stage: a Kafka consumer of ``articles`` that assigns duplicates and stories and writes
them to Elasticsearch, exactly-once in effect, like the indexer (what it writes and why: ``store``).

The loop: consume a batch -> decide (``assigner``, pure) -> write (``store``) -> commit. Offsets are
committed only once everything the batch changed is persisted (or dead-lettered with the reason). The
state is global (a story spans partitions), so the stage is ONE consumer that assigns itself every
partition (``assign``, not a group subscription: no rebalance can split the state); the group only
keeps its committed offsets. On start it rebuilds the state by reading the topic up to those offsets
and taking each article's stored assignment from the index (nothing is decided or written then); an
article whose document already has a story keeps it, so a replay yields the same ids.
"""

from __future__ import annotations

import logging
import signal
import threading
import time
from dataclasses import dataclass, field
from typing import Any

from confluent_kafka import Consumer, KafkaException, Message, Producer
from confluent_kafka import TopicPartition as KafkaTopicPartition
from elasticsearch import Elasticsearch

from indexing import bulk, templates
from indexing.documents import UndecodableEvent, decode_event
from indexing.failure_policy import POLICY, Action, Backoff, classify_exception
from indexing.partitions import ask_broker
from indexing.stories import features, store
from indexing.stories.assigner import WINDOW_ARTICLES, Assigner, Outcome
from indexing.stories.features import StoryInput
from schemas.article import ArticleEvent
from schemas.dead_letter import DeadLetter
from schemas.settings import Settings

log = logging.getLogger(__name__)

BATCH_DOCS = 500
"""Events decided and written per batch: one mget and one bulk request, as the indexer's batches."""
LINGER_S = 0.4
"""How long a batch waits to fill: the indexer's linger, so a story follows its article by ~1 s."""
METADATA_TIMEOUT_S = 10.0
DETAIL_MAX_CHARS = 2_000


class Stopped(Exception):
    """Asked to stop while a batch was not persisted: nothing of it is committed."""


@dataclass
class StoriesReport:
    assigned: int = 0
    restored: int = 0
    duplicates: int = 0
    new_stories: int = 0
    skipped: int = 0  # undecodable events (the indexer dead-letters them)
    dead_lettered: int = 0
    elapsed_s: float = 0.0
    lag: dict[str, int] = field(default_factory=dict)


class StoriesStage:
    """``run()`` until stopped, or until caught up with the topic."""

    def __init__(
        self,
        settings: Settings,
        *,
        topic: str | None = None,
        group: str | None = None,
        alias: str | None = None,
        stories_index: str | None = None,
        es: Elasticsearch | None = None,
        backoff: Backoff = Backoff(),  # noqa: B008 - frozen dataclass, safe as a default
        window_articles: int = WINDOW_ARTICLES,
    ) -> None:
        self.settings = settings
        self.topic = topic or settings.articles_topic
        self.group = group or settings.stories_group
        self.alias = alias or settings.index_alias
        self.stories_index = stories_index or settings.stories_index
        self.es = es or Elasticsearch(settings.es_url)
        self.backoff = backoff
        self.assigner = Assigner(window_articles)
        self.report = StoriesReport()
        self._stop = threading.Event()
        self._consumer: Consumer | None = None
        self._dlq: Producer | None = None

    def stop(self) -> None:
        self._stop.set()

    # ------------------------------------------------------------------ lifecycle

    def run(self, *, until_caught_up: bool = False) -> StoriesReport:
        started = time.monotonic()
        self._retrying(lambda: store.ensure_stories_index(self.es, self.stories_index))
        self._retrying(lambda: templates.ensure_index(self.es, self.alias))
        self._consumer = Consumer(
            {
                "bootstrap.servers": self.settings.kafka_bootstrap,
                "group.id": self.group,
                "enable.auto.commit": False,
                "enable.auto.offset.store": False,
            }
        )
        self._dlq = Producer({"bootstrap.servers": self.settings.kafka_bootstrap, "enable.idempotence": True})
        try:
            starts, targets = self._restore()
            self._consumer.assign([KafkaTopicPartition(self.topic, p, o) for p, o in starts.items()])
            positions = dict(starts)
            while not self._stop.is_set():
                if until_caught_up and all(positions[p] >= targets[p] for p in targets):
                    break
                messages = self._consumer.consume(BATCH_DOCS, LINGER_S)
                if messages:
                    self._process(messages, write=True)
                    positions.update(self._commit(messages))
            self.report.lag = {f"{self.topic}[{p}]": max(0, targets[p] - positions[p]) for p in targets}
        except Stopped:
            log.warning("stopped before a batch was persisted; it is read again on restart")
        finally:
            self._consumer.close()
            self._dlq.flush(METADATA_TIMEOUT_S)
        self.report.elapsed_s = time.monotonic() - started
        return self.report

    def _restore(self) -> tuple[dict[int, int], dict[int, int]]:
        """Rebuild the state from the topic up to the committed offsets; returns (starts, high marks)."""
        assert self._consumer is not None
        metadata = self._consumer.list_topics(self.topic, timeout=METADATA_TIMEOUT_S).topics[self.topic]
        if metadata.error is not None:
            raise KafkaException(metadata.error)
        tps = [KafkaTopicPartition(self.topic, p) for p in sorted(metadata.partitions)]
        consumer = self._consumer
        committed = ask_broker(
            lambda: consumer.committed(tps, timeout=METADATA_TIMEOUT_S), "committed offsets"
        )
        starts, lows, targets = {}, {}, {}
        for tp in committed:
            low, high = ask_broker(
                lambda tp=tp: consumer.get_watermark_offsets(tp, timeout=METADATA_TIMEOUT_S, cached=False),
                f"watermarks of {tp.topic}[{tp.partition}]",
            )
            lows[tp.partition], targets[tp.partition] = low, high
            starts[tp.partition] = max(tp.offset, low) if tp.offset >= 0 else low
        to_read = {p: starts[p] for p in starts if starts[p] > lows[p]}
        if to_read:
            self._consumer.assign([KafkaTopicPartition(self.topic, p, lows[p]) for p in to_read])
            positions = {p: lows[p] for p in to_read}
            while any(positions[p] < to_read[p] for p in to_read) and not self._stop.is_set():
                messages = [
                    m
                    for m in self._consumer.consume(BATCH_DOCS, LINGER_S)
                    if m.error() is None and m.offset() < to_read[m.partition()]
                ]
                self._process(messages, write=False)
                for m in messages:
                    positions[m.partition()] = m.offset() + 1
            self._consumer.unassign()
            log.info("stories state restored from %d articles", len(self.assigner))
        return starts, targets

    # ------------------------------------------------------------------ one batch

    def _process(self, messages: list[Message], *, write: bool) -> None:
        """Decide the batch's assignments (stored ones are kept) and, when ``write``, persist them."""
        decoded: list[tuple[Message, ArticleEvent, StoryInput]] = []
        for msg in messages:
            if msg.error() is not None:
                continue
            try:
                event = decode_event(msg.value())
            except UndecodableEvent as exc:
                self.report.skipped += 1
                log.warning("skipped %s[%d]@%d: %s", msg.topic(), msg.partition(), msg.offset(), exc.detail)
                continue
            decoded.append((msg, event, features.from_event(event)))
        unknown = [a.id for _, _, a in decoded if a.id not in self.assigner.assignments]
        stored = (
            self._retrying(lambda: store.stored_assignments(self.es, self.alias, unknown)) if unknown else {}
        )
        outcomes: list[tuple[Message, ArticleEvent, Outcome]] = []
        for msg, event, article in decoded:
            if article.id in stored:
                outcome = self.assigner.restore(article, *stored[article.id])
                self.report.restored += 1
            else:
                outcome = self.assigner.assign(article)
            outcomes.append((msg, event, outcome))
        if write:
            self._persist(self._records(outcomes))

    def _records(self, outcomes: list[tuple[Message, ArticleEvent, Outcome]]) -> list[bulk.IndexRecord]:
        """The documents of newly assigned articles, then each story they changed, once."""
        records, stories = [], {}
        for msg, event, outcome in outcomes:
            if not outcome.fresh:
                continue
            tp, a = (msg.topic(), msg.partition()), outcome.assignment
            records.append(
                store.article_record(tp, msg.offset(), event, self.alias, a.story_id, a.duplicate_of)
            )
            stories[outcome.story.id] = (tp, msg.offset(), outcome.story)
            self.report.assigned += 1
            self.report.new_stories += outcome.story.article_count == 1
            self.report.duplicates += a.duplicate_of is not None
        clusterer = self.assigner.clusterer
        for tp, offset, story in stories.values():
            records.append(
                store.story_record(tp, offset, self.stories_index, store.story_document(story, clusterer))
            )
        return records

    def _persist(self, records: list[bulk.IndexRecord]) -> None:
        """Write until every record is written or dead-lettered (the indexer's failure policy): while
        Elasticsearch is unavailable, back off and send what is left again; raises Stopped on stop."""
        failures = 0
        while records:
            answer = bulk.attempt(self.es, records)
            for rejection in answer.rejected:
                self._dead_letter(rejection)
            records = answer.retry
            if records:
                failures += 1
                log.warning("Elasticsearch unavailable (%s), attempt %d: retrying", answer.why, failures)
                if self._stop.wait(self.backoff.delay_s(failures - 1)):
                    raise Stopped

    def _dead_letter(self, rejection: bulk.Rejection) -> None:
        assert self._dlq is not None
        record = rejection.record
        letter = DeadLetter(
            url=record.url or None,
            article_id=record.article_id,
            source=record.source or None,
            stage="stories",
            reason=rejection.reason,
            detail=rejection.detail[:DETAIL_MAX_CHARS],
            topic=record.tp[0],
            partition=record.tp[1],
            offset=record.offset,
        )
        self._dlq.produce(
            self.settings.stories_dlq_topic, letter.model_dump_json().encode(), key=record.article_id
        )
        if self._dlq.flush(METADATA_TIMEOUT_S):
            raise RuntimeError("the stories dead-letter topic did not take a letter: not committing past it")
        self.report.dead_lettered += 1

    def _commit(self, messages: list[Message]) -> dict[int, int]:
        """Commit the batch's positions (synchronously); returns them per partition."""
        assert self._consumer is not None
        positions: dict[int, int] = {}
        for msg in messages:
            if msg.error() is None:
                positions[msg.partition()] = max(positions.get(msg.partition(), 0), msg.offset() + 1)
        if positions:
            offsets = [KafkaTopicPartition(self.topic, p, o) for p, o in positions.items()]
            self._consumer.commit(offsets=offsets, asynchronous=False)
        return positions

    def _retrying(self, call: Any) -> Any:
        """``call()``, retried with backoff while Elasticsearch is unavailable (the indexer's policy)."""
        attempt = 0
        while True:
            try:
                return call()
            except Exception as exc:
                if POLICY[classify_exception(exc)] is not Action.RETRY:
                    raise
                log.warning(
                    "Elasticsearch unavailable (%s), attempt %d; retrying", type(exc).__name__, attempt + 1
                )
                if self._stop.wait(self.backoff.delay_s(attempt)):
                    raise Stopped from exc
                attempt += 1


def run_stories(settings: Settings, *, until_caught_up: bool = False, **kwargs: Any) -> StoriesReport:
    """Run the stage (streaming, or micro-batch until caught up) until SIGTERM/SIGINT; ``kwargs`` are
    :class:`StoriesStage`'s. A stop finishes the batch being written (or abandons it uncommitted)."""
    stage = StoriesStage(settings, **kwargs)
    if threading.current_thread() is not threading.main_thread():
        return stage.run(until_caught_up=until_caught_up)
    previous = {sig: signal.signal(sig, lambda *_: stage.stop()) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        return stage.run(until_caught_up=until_caught_up)
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
