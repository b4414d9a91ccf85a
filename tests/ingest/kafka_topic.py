"""Reading a whole test topic back from the real Kafka, waiting on a condition (never a fixed sleep)."""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass

from confluent_kafka import Consumer, TopicPartition

# How long a test waits for messages it expects before failing.
READ_TIMEOUT_S = 60.0


@dataclass(frozen=True)
class Record:
    key: str
    value: bytes
    headers: dict[str, str]


def read_topic(bootstrap: str, topic: str, timeout_s: float = READ_TIMEOUT_S) -> list[Record]:
    """Every message now in ``topic`` (all partitions, up to the current high watermarks)."""
    consumer = Consumer(
        {
            "bootstrap.servers": bootstrap,
            "group.id": f"test-{uuid.uuid4().hex[:8]}",
            "enable.auto.commit": False,
            "auto.offset.reset": "earliest",
        }
    )
    try:
        meta = consumer.list_topics(topic, timeout=10).topics[topic]
        parts = [TopicPartition(topic, p, 0) for p in meta.partitions]
        highs = {p.partition: consumer.get_watermark_offsets(p, timeout=10)[1] for p in parts}
        wanted = {p: h for p, h in highs.items() if h > 0}
        consumer.assign(parts)
        records: list[Record] = []
        deadline = time.monotonic() + timeout_s
        while wanted and time.monotonic() < deadline:
            msg = consumer.poll(0.5)
            if msg is None or msg.error():
                continue
            records.append(
                Record(
                    (msg.key() or b"").decode(),
                    msg.value() or b"",
                    {k: v.decode() for k, v in (msg.headers() or [])},
                )
            )
            if msg.offset() + 1 >= wanted.get(msg.partition(), 0):
                wanted.pop(msg.partition(), None)
        assert not wanted, f"timed out reading {topic}: partitions {sorted(wanted)} incomplete"
        return records
    finally:
        consumer.close()
