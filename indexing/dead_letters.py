"""The index dead-letter queue writer: a record counts as done only once Kafka has confirmed its letter."""

from __future__ import annotations

import logging
from collections.abc import Callable

from confluent_kafka import KafkaError, Message, Producer

from indexing.offsets import TopicPartition
from infra.client_logs import ServiceState, kafka_client_config
from schemas.dead_letter import DeadLetter

log = logging.getLogger(__name__)

# The original message travels along in a header so a letter stays useful after the source topic's
# retention removed it; capped below Kafka's default 1 MB message.max.bytes to leave room for the letter.
ORIGINAL_HEADER = "newsflow.original"
ORIGINAL_MAX_BYTES = 900_000
# Seconds to wait for outstanding letters at shutdown: one librdkafka retry cycle on a healthy broker.
CLOSE_FLUSH_S = 10.0


class DeadLetterWriter:
    """Produces :class:`DeadLetter` records; ``on_delivered(tp, offset)`` fires when Kafka has one."""

    def __init__(
        self, bootstrap: str, topic: str, on_delivered: Callable[[TopicPartition, int], None]
    ) -> None:
        self._topic = topic
        self._on_delivered = on_delivered
        self._failed: list[tuple[TopicPartition, int, bytes | None, bytes, list[tuple[str, bytes]]]] = []
        self._producer = Producer(
            {
                "bootstrap.servers": bootstrap,
                "enable.idempotence": True,
                "acks": "all",
                "linger.ms": 5,
                **kafka_client_config(ServiceState(f"Kafka at {bootstrap} (index dead letters)", log)),
            }
        )

    def send(self, letter: DeadLetter, original: bytes | None) -> None:
        """Queue ``letter`` (which names its source topic/partition/offset) for the DLQ topic."""
        assert letter.topic is not None and letter.partition is not None and letter.offset is not None
        tp = (letter.topic, letter.partition)
        key = letter.article_id.encode() if letter.article_id else None
        headers = [(ORIGINAL_HEADER, original[:ORIGINAL_MAX_BYTES])] if original else []
        self._produce(tp, letter.offset, key, letter.model_dump_json().encode(), headers)

    def _produce(
        self,
        tp: TopicPartition,
        offset: int,
        key: bytes | None,
        value: bytes,
        headers: list[tuple[str, bytes]],
    ) -> None:
        def delivered(err: KafkaError | None, _msg: Message) -> None:
            if err is None:
                self._on_delivered(tp, offset)
            else:
                log.warning("dead letter for %s[%d]@%d not delivered (%s); retrying", *tp, offset, err)
                self._failed.append((tp, offset, key, value, headers))

        self._producer.produce(self._topic, value=value, key=key, headers=headers, on_delivery=delivered)

    def poll(self) -> None:
        """Serve delivery callbacks and re-send letters whose delivery failed (never drop one)."""
        self._producer.poll(0)
        failed, self._failed = self._failed, []
        for tp, offset, key, value, headers in failed:
            self._produce(tp, offset, key, value, headers)

    def close(self) -> int:
        """Flush what is outstanding; returns how many letters are still undelivered (not committed)."""
        self.poll()
        return self._producer.flush(CLOSE_FLUSH_S)
