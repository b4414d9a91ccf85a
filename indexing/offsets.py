"""Which Kafka offsets are safe to commit (the model: Kafka Connect's ``AsyncOffsetTracker``).

A record is *done* once Elasticsearch acknowledged its document or its dead letter was delivered.
Records are tracked per partition in arrival order (offsets may have gaps: compaction, transaction
markers), so the safe position of a partition is one past the last record of its contiguous done prefix:
committing it never skips a record that is still in flight.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable

TopicPartition = tuple[str, int]


class OffsetTracker:
    """Per partition: records in arrival order, their done flags, and the highest safe commit position."""

    def __init__(self) -> None:
        self._in_flight: dict[TopicPartition, OrderedDict[int, bool]] = {}
        self._safe: dict[TopicPartition, int] = {}
        self._committed: dict[TopicPartition, int] = {}

    def add(self, tp: TopicPartition, offset: int) -> None:
        """A record arrived from ``poll()``; it blocks its partition's commit position until done."""
        self._in_flight.setdefault(tp, OrderedDict())[offset] = False

    def done(self, tp: TopicPartition, offset: int) -> None:
        """The record was indexed or dead-lettered. Unknown records (revoked partition) are ignored."""
        records = self._in_flight.get(tp)
        if records is None or offset not in records:
            return
        records[offset] = True
        while records and next(iter(records.values())):
            first, _ = records.popitem(last=False)
            self._safe[tp] = first + 1

    def safe_offsets(self) -> dict[TopicPartition, int]:
        """The commit position (next offset to read) of every partition that has made progress."""
        return dict(self._safe)

    def committable(self) -> dict[TopicPartition, int]:
        """Safe positions that moved since the last :meth:`mark_committed`."""
        return {tp: offset for tp, offset in self._safe.items() if self._committed.get(tp) != offset}

    def mark_committed(self, offsets: dict[TopicPartition, int]) -> None:
        """The broker accepted these positions."""
        self._committed.update(offsets)

    def pending(self, partitions: Iterable[TopicPartition] | None = None) -> int:
        """How many records are not done yet (all partitions, or only ``partitions``)."""
        selected = self._in_flight.keys() if partitions is None else partitions
        return sum(
            sum(1 for is_done in self._in_flight.get(tp, {}).values() if not is_done) for tp in selected
        )

    def drop(self, partitions: Iterable[TopicPartition]) -> None:
        """Forget revoked partitions: their in-flight records will be read again by their new owner."""
        for tp in partitions:
            self._in_flight.pop(tp, None)
            self._safe.pop(tp, None)
            self._committed.pop(tp, None)
