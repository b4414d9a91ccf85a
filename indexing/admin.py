"""Operator actions on the indexer's consumer group, run while its members are stopped."""

from __future__ import annotations

from confluent_kafka import ConsumerGroupTopicPartitions, KafkaException
from confluent_kafka import TopicPartition as KafkaTopicPartition
from confluent_kafka.admin import AdminClient, OffsetSpec

from indexing.partitions import METADATA_TIMEOUT_S
from schemas.settings import Settings


def reset_to_beginning(settings: Settings, group: str, topic: str) -> dict[int, int]:
    """Move the group's committed offsets to the start of every partition (replay). The group must be idle."""
    admin = AdminClient({"bootstrap.servers": settings.kafka_bootstrap})
    metadata = admin.list_topics(topic, timeout=METADATA_TIMEOUT_S).topics[topic]
    if metadata.error is not None:
        raise KafkaException(metadata.error)
    specs = {KafkaTopicPartition(topic, p): OffsetSpec.earliest() for p in metadata.partitions}
    earliest = {tp.partition: f.result().offset for tp, f in admin.list_offsets(specs).items()}
    request = ConsumerGroupTopicPartitions(
        group, [KafkaTopicPartition(topic, p, offset) for p, offset in sorted(earliest.items())]
    )
    for future in admin.alter_consumer_group_offsets([request]).values():
        future.result()
    return earliest
