"""Rebuild the entity registry from the ``articles`` topic: every event's PERSON/ORG ids and names, in order.

Events of schema v3 carry the ids the registry gave; replaying them (oldest first) recreates the same
names and aliases. The replay reads each partition from its start to its end offset at the time of the call
with ``assign`` (no consumer group, nothing committed), and swaps the registry's content in one transaction,
so workers writing meanwhile see the old content until the new one is complete.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass

from confluent_kafka import OFFSET_BEGINNING, Consumer, KafkaError, TopicPartition

from ingest.entity_registry import EntityRegistry
from schemas.article import ArticleEvent, EventInvalid, parse_event
from schemas.settings import Settings

KAFKA_TIMEOUT_S = 30.0
"""Metadata and watermark calls: a local broker answers in milliseconds; 30 s means it is down."""
POLL_S = 1.0


@dataclass
class RebuildReport:
    events: int = 0
    skipped: int = 0  # not a valid event of a known version
    entities: int = 0  # PERSON/ORG entities with ids registered
    names: int = 0  # distinct ids in the registry afterwards


def replay_events(settings: Settings, topic: str, report: RebuildReport) -> Iterator[ArticleEvent]:
    """The topic's events from the beginning to its current end, partition by partition."""
    consumer = Consumer(
        {
            "bootstrap.servers": settings.kafka_bootstrap,
            "group.id": f"newsflow-registry-rebuild-{uuid.uuid4().hex[:8]}",  # required; never committed
            "enable.auto.commit": False,
            "enable.partition.eof": True,  # the end of a partition is an event: no offset arithmetic
        }
    )
    try:
        partitions = consumer.list_topics(topic, timeout=KAFKA_TIMEOUT_S).topics[topic].partitions
        for partition in sorted(partitions):
            low, high = consumer.get_watermark_offsets(
                TopicPartition(topic, partition), timeout=KAFKA_TIMEOUT_S
            )
            if high <= low:
                continue
            consumer.assign([TopicPartition(topic, partition, OFFSET_BEGINNING)])
            next_offset = low
            while next_offset < high:
                msg = consumer.poll(POLL_S)
                if msg is None:
                    continue
                if msg.error() is not None:
                    if msg.error().code() == KafkaError._PARTITION_EOF:
                        break
                    continue
                next_offset = msg.offset() + 1
                try:
                    yield parse_event(msg.value() or b"")
                except EventInvalid:
                    report.skipped += 1
    finally:
        consumer.close()


def rebuild_registry(settings: Settings, registry: EntityRegistry, topic: str | None = None) -> RebuildReport:
    """Replace the registry's content with what the topic's events say."""
    report = RebuildReport()

    def documents() -> Iterator[list]:
        for event in replay_events(settings, topic or settings.articles_topic, report):
            report.events += 1
            yield event.entities

    report.entities = registry.replace_all(documents())
    report.names = registry.size()
    return report
