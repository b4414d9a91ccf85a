"""The Kafka producer of ingestion and the records it sends: article events and dead letters.

An article event is validated JSON keyed by article id (all revisions of an article in one
partition, in order); a dead letter is keyed by URL with its stage and reason in headers for quick
filtering. The lifecycle, as confluent-kafka's examples have it (``produce`` + a delivery callback
per message, ``poll`` to serve callbacks, ``flush`` then ``close`` on every path), is
``ingest.publish.publisher.Publisher``'s.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from confluent_kafka import KafkaError, Message, Producer

from infra.client_logs import ServiceState, kafka_client_config
from schemas.article import SCHEMA_VERSION, ArticleEvent, EventInvalid, check_payload
from schemas.dead_letter import DeadLetter
from schemas.settings import Settings

log = logging.getLogger(__name__)

# Batching: events are 5-30 KB of JSON and come out of the build pool in bursts. Waiting up to
# 50 ms fills batches of dozens of events per partition (zstd compresses JSON text ~4x better in
# big batches) at a latency cost nobody sees next to seconds of fetching and extraction.
LINGER_MS = 50
# 1 MiB per partition batch: ~50 typical events; above the default 16 KiB which would hold one.
BATCH_SIZE_BYTES = 1024 * 1024
# Give up on a message after 2 minutes (broker down): it is reported failed and retried next poll.
DELIVERY_TIMEOUT_MS = 120_000
# When the local queue is full, serve callbacks for this long before producing again.
QUEUE_FULL_POLL_S = 0.5
# Room left in ``kafka_message_max_bytes`` for the key (32 B), headers (~60 B) and librdkafka's
# per-message framing (~100 B), with a wide margin: an event's value must fit in the rest.
MESSAGE_OVERHEAD_BYTES = 4_096
# A dead letter's detail is cut here: enough for a traceback's last lines or a validation report.
DETAIL_MAX_CHARS = 2_000

# librdkafka's delivery report: (error or None, the message).
OnDelivery = Callable[[KafkaError | None, Message], None]


@dataclass(frozen=True)
class Record:
    """One Kafka message ready to produce."""

    topic: str
    key: bytes
    value: bytes
    headers: list[tuple[str, bytes]]


def producer_config(settings: Settings) -> dict[str, Any]:
    return {
        "bootstrap.servers": settings.kafka_bootstrap,
        "enable.idempotence": True,  # no duplicates or reordering from producer retries
        "acks": "all",
        "compression.type": "zstd",
        "linger.ms": LINGER_MS,
        "batch.size": BATCH_SIZE_BYTES,
        "delivery.timeout.ms": DELIVERY_TIMEOUT_MS,
        "message.max.bytes": settings.kafka_message_max_bytes,
        "client.id": "newsflow-ingest",
        **kafka_client_config(ServiceState(f"Kafka at {settings.kafka_bootstrap}", log)),
    }


def make_producer(settings: Settings) -> Producer:
    return Producer(producer_config(settings))


def produce(producer: Producer, record: Record, on_delivery: OnDelivery) -> None:
    """``produce`` that waits (serving callbacks) instead of failing when the local queue is full."""
    while True:
        try:
            producer.produce(
                record.topic,
                value=record.value,
                key=record.key,
                headers=record.headers,
                on_delivery=on_delivery,
            )
            break
        except BufferError:
            producer.poll(QUEUE_FULL_POLL_S)
    producer.poll(0)


def event_record(event: ArticleEvent, source_name: str, settings: Settings) -> Record | DeadLetter:
    """The event as a message on ``settings.articles_topic``, or why it cannot be (stage ``validate``)."""
    payload = event.model_dump_json().encode("utf-8")
    try:
        check_payload(payload)
    except EventInvalid as exc:
        return DeadLetter(
            url=event.url,
            article_id=event.id,
            source=source_name,
            stage="validate",
            reason="schema_invalid",
            detail=str(exc)[:DETAIL_MAX_CHARS],
        )
    if len(payload) > event_max_bytes(settings):
        return too_large(event, source_name, len(payload), settings)
    headers = [
        ("schema_version", str(SCHEMA_VERSION).encode()),
        ("source", source_name.encode("utf-8")),
        ("revision", str(event.revision).encode()),
    ]
    return Record(settings.articles_topic, event.id.encode(), payload, headers)


def event_max_bytes(settings: Settings) -> int:
    """The largest event value that fits in one Kafka message (see ``kafka_message_max_bytes``)."""
    return settings.kafka_message_max_bytes - MESSAGE_OVERHEAD_BYTES


def too_large(event: ArticleEvent, source_name: str, size: int, settings: Settings) -> DeadLetter:
    return DeadLetter(
        url=event.url,
        article_id=event.id,
        source=source_name,
        stage="publish",
        reason="event_too_large",
        detail=f"{size} bytes of JSON; a Kafka message holds at most {event_max_bytes(settings)}",
    )


def dead_letter_record(letter: DeadLetter, settings: Settings) -> Record:
    """The letter as a message on ``settings.articles_dlq_topic``, keyed by URL (one page's failures
    land in one partition, in order)."""
    key = (letter.url or letter.article_id or letter.source or "").encode("utf-8")
    headers = [("stage", letter.stage.encode()), ("reason", letter.reason.encode("utf-8"))]
    return Record(settings.articles_dlq_topic, key, letter.model_dump_json().encode("utf-8"), headers)


def send_event(
    producer: Producer, event: ArticleEvent, source_name: str, settings: Settings, on_delivery: OnDelivery
) -> DeadLetter | None:
    """Produce one event as the flow does (schema check, key, headers); returns why it cannot be
    sent instead. For probes and benchmarks: a source run goes through ``Publisher`` (seen-store)."""
    record = event_record(event, source_name, settings)
    if isinstance(record, DeadLetter):
        return record
    produce(producer, record, on_delivery)
    return None
