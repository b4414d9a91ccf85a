"""The stories stage restoring its state while a partition's leader is being replaced waits for the new one.

The same failure as the indexer's (tests/indexing/test_partitions_failover.py, found by the cluster chaos
case): a watermark call answered with ``_DESTROY_BROKER`` while the killed broker's partitions have no leader
yet must be asked again, not end the stage. Kafka is a stand-in here.
"""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from confluent_kafka import KafkaException
from confluent_kafka import TopicPartition as KafkaTopicPartition

from indexing import partitions
from indexing.stories.stage import StoriesStage
from schemas.settings import Settings
from tests.indexing import test_partitions_failover as partitions_test

TOPIC = "articles"


class LeaderlessFor(partitions_test.LeaderlessFor):
    """The indexer test's consumer, whose one partition has no committed offset and holds 3..12."""

    def list_topics(self, topic: str, timeout: float) -> SimpleNamespace:
        return SimpleNamespace(topics={topic: SimpleNamespace(error=None, partitions={0: None})})

    def committed(self, parts: list[KafkaTopicPartition], timeout: float) -> list[KafkaTopicPartition]:
        return [KafkaTopicPartition(p.topic, p.partition, -1001) for p in parts]

    def get_watermark_offsets(
        self, part: KafkaTopicPartition, timeout: float, cached: bool
    ) -> tuple[int, int]:
        super().get_watermark_offsets(part, timeout, cached)
        return 3, 12


@pytest.fixture(autouse=True)
def no_wait(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(partitions, "METADATA_RETRY_INTERVAL_S", 0.0)


def _stage(consumer: LeaderlessFor) -> StoriesStage:
    stage = StoriesStage(Settings(), topic=TOPIC, es=SimpleNamespace())  # type: ignore[arg-type]
    stage._consumer = consumer  # type: ignore[assignment]
    return stage


def test_restore_asks_again_until_the_partition_has_a_leader() -> None:
    consumer = LeaderlessFor(failures=3)
    starts, targets = _stage(consumer)._restore()
    assert (starts, targets) == ({0: 3}, {0: 12})
    assert consumer.calls == 4


def test_a_leader_that_never_comes_back_still_fails_the_restore(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(partitions, "METADATA_RETRY_S", 0.0)
    with pytest.raises(KafkaException):
        _stage(LeaderlessFor(failures=1))._restore()
