"""An indexer member assigned partitions while a broker is dying: the assignment waits for the new leader.

Found by the cluster chaos case (broker leading partition 0 killed with -9 while the group rebalanced): the
watermark call inside the assignment callback failed with ``_DESTROY_BROKER`` and the exception ended the
indexer. Kafka is a stand-in here (the real failover is ``bench.chaos_cluster``'s cluster-kafka-node case).
"""

from __future__ import annotations

import pytest
from confluent_kafka import KafkaError, KafkaException
from confluent_kafka import TopicPartition as KafkaTopicPartition

from indexing import partitions
from indexing.partitions import Partitions

TOPIC = "articles"


class LeaderlessFor:
    """A consumer whose watermark calls fail ``failures`` times (the leader is gone), then answer."""

    def __init__(self, failures: int) -> None:
        self.failures = failures
        self.calls = 0

    def committed(self, parts: list[KafkaTopicPartition], timeout: float) -> list[KafkaTopicPartition]:
        return [KafkaTopicPartition(p.topic, p.partition, 7) for p in parts]

    def get_watermark_offsets(
        self, part: KafkaTopicPartition, timeout: float, cached: bool
    ) -> tuple[int, int]:
        self.calls += 1
        if self.calls <= self.failures:
            raise KafkaException(KafkaError(KafkaError._DESTROY_BROKER))
        return 0, 12


@pytest.fixture(autouse=True)
def no_wait(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(partitions, "METADATA_RETRY_INTERVAL_S", 0.0, raising=False)


def test_assignment_asks_again_until_the_partition_has_a_leader() -> None:
    consumer = LeaderlessFor(failures=3)
    owned = Partitions()
    owned.assign(consumer, [KafkaTopicPartition(TOPIC, 0)])  # type: ignore[arg-type]
    assert owned.assigned == {(TOPIC, 0)}
    assert owned.position((TOPIC, 0)) == 7
    assert consumer.calls == 4


def test_a_leader_that_never_comes_back_still_fails_the_assignment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(partitions, "METADATA_RETRY_S", 0.0, raising=False)
    with pytest.raises(KafkaException):
        Partitions().assign(LeaderlessFor(failures=1), [KafkaTopicPartition(TOPIC, 0)])  # type: ignore[arg-type]
