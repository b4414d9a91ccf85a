"""The Kafka producer of article events: validated v1 JSON, keyed by article id, acknowledged one by one.

Lifecycle, as confluent-kafka's examples do it: ``produce`` + a delivery callback per message,
``poll(0)`` after each produce to serve callbacks, ``flush()`` before the run ends (and on
SIGTERM, via the runner), ``close()`` in ``finally``. Delivery reports are the only truth: the
seen-store records an article from the callback, never at ``produce`` time.
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
# A run's final flush waits at most this long for outstanding acknowledgements.
FLUSH_TIMEOUT_S = 60.0
# When the local queue is full, serve callbacks for this long before producing again.
QUEUE_FULL_POLL_S = 0.5

# Called once per message: (delivered?, error text or None).
DeliveryCallback = Callable[[bool, str | None], None]


def producer_config(settings: Settings) -> dict[str, Any]:
    return {
        "bootstrap.servers": settings.kafka_bootstrap,
        "enable.idempotence": True,  # no duplicates or reordering from producer retries
        "acks": "all",
        "compression.type": "zstd",
        "linger.ms": LINGER_MS,
        "batch.size": BATCH_SIZE_BYTES,
        "delivery.timeout.ms": DELIVERY_TIMEOUT_MS,
        "client.id": "newsflow-ingest",
        **kafka_client_config(ServiceState(f"Kafka at {settings.kafka_bootstrap}", log)),
    }


def make_producer(settings: Settings) -> Producer:
    return Producer(producer_config(settings))


@dataclass
class DeliveryCounts:
    sent: int = 0
    delivered: int = 0
    failed: int = 0

    @property
    def outstanding(self) -> int:
        return self.sent - self.delivered - self.failed


def produce(
    producer: Producer,
    topic: str,
    key: bytes,
    value: bytes,
    headers: list[tuple[str, bytes]],
    on_delivery: Callable[[KafkaError | None, Message], None],
) -> None:
    """``produce`` that waits (serving callbacks) instead of failing when the local queue is full."""
    while True:
        try:
            producer.produce(topic, value=value, key=key, headers=headers, on_delivery=on_delivery)
            break
        except BufferError:
            producer.poll(QUEUE_FULL_POLL_S)
    producer.poll(0)


class ArticlePublisher:
    """Validates and produces article events to ``settings.articles_topic``."""

    def __init__(self, producer: Producer, settings: Settings) -> None:
        self._producer = producer
        self._topic = settings.articles_topic
        self.counts = DeliveryCounts()

    def publish(
        self, event: ArticleEvent, source_name: str, on_delivery: DeliveryCallback
    ) -> DeadLetter | None:
        """Produce the event, or return why it cannot be (stage ``validate``) without producing it."""
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
                detail=str(exc)[:2000],
            )
        headers = [
            ("schema_version", str(SCHEMA_VERSION).encode()),
            ("source", source_name.encode("utf-8")),
            ("revision", str(event.revision).encode()),
        ]

        def delivered(err: KafkaError | None, _msg: Message) -> None:
            if err is None:
                self.counts.delivered += 1
                on_delivery(True, None)
            else:
                self.counts.failed += 1
                on_delivery(False, err.str())

        self.counts.sent += 1
        produce(self._producer, self._topic, event.id.encode(), payload, headers, delivered)
        return None


def flush(producer: Producer, timeout_s: float = FLUSH_TIMEOUT_S) -> int:
    """Wait for outstanding acknowledgements (callbacks run here); returns how many are still pending."""
    return producer.flush(timeout_s)
