"""The partitions one indexer member owns: where each started, how far it must get, what to commit.

Offsets are committed only from ``offsets.OffsetTracker``'s safe positions and only for partitions
still assigned; ``targets`` (the high watermarks seen at assignment) say when a run that stops once
caught up is done; ``lag`` is reported from the watermarks the consumer already has.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import TypeVar

from confluent_kafka import OFFSET_INVALID, Consumer, KafkaException, Message
from confluent_kafka import TopicPartition as KafkaTopicPartition

from indexing.offsets import OffsetTracker, TopicPartition

log = logging.getLogger(__name__)

# Broker metadata calls (watermarks, committed offsets) that take longer than this mean Kafka is unwell.
METADATA_TIMEOUT_S = 10.0
# A partition whose leader was just killed has no leader until the controller fences the broker
# (broker.session.timeout.ms: 18 s, docs/cluster.md) and elects an in-sync replica; watermark and
# committed-offset calls fail meanwhile (_DESTROY_BROKER, _TRANSPORT, NOT_LEADER, timeouts). Asked again
# every second for up to 45 s: fencing, election and the client's metadata refresh, with room on a busy
# machine. Inside ``poll`` (an assignment callback) this only delays the member; group heartbeats go on.
METADATA_RETRY_S = 45.0
METADATA_RETRY_INTERVAL_S = 1.0

T = TypeVar("T")


def ask_broker(call: Callable[[], T], what: str) -> T:
    """``call()``, asked again while Kafka refuses it, for up to ``METADATA_RETRY_S``."""
    deadline = time.monotonic() + METADATA_RETRY_S
    while True:
        try:
            return call()
        except KafkaException as exc:
            if time.monotonic() >= deadline:
                raise
            log.info("%s: %s; asking again", what, exc.args[0] if exc.args else exc)
            time.sleep(METADATA_RETRY_INTERVAL_S)


def tp_of(partition: KafkaTopicPartition | Message) -> TopicPartition:
    if isinstance(partition, KafkaTopicPartition):
        return (partition.topic, partition.partition)
    return (partition.topic(), partition.partition())


def label(tp: TopicPartition) -> str:
    return f"{tp[0]}[{tp[1]}]"


class Partitions:
    """Assigned partitions, their start offsets and targets, and the offsets safe to commit."""

    def __init__(self) -> None:
        self.tracker = OffsetTracker()
        self.assigned: set[TopicPartition] = set()
        self.ever_assigned = False
        self._start: dict[TopicPartition, int] = {}
        self._targets: dict[TopicPartition, int] = {}

    def assign(self, consumer: Consumer, partitions: list[KafkaTopicPartition]) -> None:
        """New partitions: each starts at its committed offset (or the earliest one still kept)."""
        self.ever_assigned = True
        if not partitions:
            return
        committed = ask_broker(
            lambda: consumer.committed(partitions, timeout=METADATA_TIMEOUT_S), "committed offsets"
        )
        for partition in committed:
            tp = tp_of(partition)
            low, high = ask_broker(
                lambda p=partition: consumer.get_watermark_offsets(
                    p, timeout=METADATA_TIMEOUT_S, cached=False
                ),
                f"watermarks of {label(tp)}",
            )
            start = partition.offset if partition.offset != OFFSET_INVALID and partition.offset >= 0 else low
            self._start[tp] = max(start, low)
            self._targets[tp] = high
            self.assigned.add(tp)
        log.info("assigned %s", sorted(label(tp_of(p)) for p in partitions))

    def forget(self, revoked: set[TopicPartition]) -> None:
        """Partitions gone to another member: their records in flight will be read again there."""
        self.tracker.drop(revoked)
        self.assigned -= revoked
        for tp in revoked:
            self._start.pop(tp, None)
            self._targets.pop(tp, None)

    def position(self, tp: TopicPartition) -> int:
        return self.tracker.safe_offsets().get(tp, self._start.get(tp, 0))

    def caught_up(self) -> bool:
        """Everything up to the targets is done and committed (and there was an assignment)."""
        if not self.ever_assigned or self.tracker.pending() or self.tracker.committable():
            return False
        return all(self.position(tp) >= self._targets.get(tp, 0) for tp in self.assigned)

    def commit(self, consumer: Consumer, only: set[TopicPartition] | None = None) -> None:
        """Commit the safe positions that moved (synchronously); a failure is retried next time."""
        offsets = {
            tp: offset
            for tp, offset in self.tracker.committable().items()
            if tp in self.assigned and (only is None or tp in only)
        }
        if not offsets:
            return
        try:
            results = consumer.commit(
                offsets=[KafkaTopicPartition(t, p, o) for (t, p), o in offsets.items()], asynchronous=False
            )
        except KafkaException as exc:  # e.g. a rebalance in progress: retried on the next loop
            log.warning("commit of %s failed: %s", offsets, exc)
            return
        failed = {tp_of(p) for p in results or [] if p.error is not None}
        if failed:
            log.warning("commit failed for %s; retried on the next loop", sorted(failed))
        self.tracker.mark_committed({tp: o for tp, o in offsets.items() if tp not in failed})

    def lag(self, consumer: Consumer) -> dict[str, int]:
        """Messages not yet committed per partition, from the high watermark of the last fetch.

        The cached watermark costs nothing; asking the broker (``cached=False``) queues behind the
        in-flight fetch (up to ``fetch.wait.max.ms``, 500 ms) per partition, which halved throughput
        when progress was logged. Only a partition not fetched yet is asked.
        """
        lag = {}
        for tp in sorted(self.assigned):
            partition = KafkaTopicPartition(*tp)
            try:
                _, high = consumer.get_watermark_offsets(partition, cached=True)
                if high < 0:
                    _, high = consumer.get_watermark_offsets(partition, timeout=METADATA_TIMEOUT_S)
            except KafkaException:
                continue
            lag[label(tp)] = max(0, high - self.position(tp))
        return lag
