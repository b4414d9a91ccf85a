"""Create the ingestion topics if missing (idempotent: an existing topic is left as it is)."""

from __future__ import annotations

from confluent_kafka import KafkaError, KafkaException
from confluent_kafka.admin import AdminClient, NewTopic

from schemas.settings import Settings

# Copies of each partition: 3 (Kafka's usual production figure: one broker can be lost while another is
# down for maintenance), at most the number of brokers (1 on the single-node stack).
MAX_REPLICATION_FACTOR = 3
# With 3 copies a write needs 2 in sync (producers use acks=all): one broker can die without losing an
# acknowledged article or refusing new ones. With fewer copies, 1 (a single broker must accept writes).
CLUSTER_MIN_INSYNC_REPLICAS = 2
# Dead letters are rare and read by people: one partition keeps them in arrival order.
DLQ_PARTITIONS = 1
# A record batch holding one message of ``kafka_message_max_bytes`` adds its header (61 B) and the
# record's framing; 16 KiB more than the producer's limit leaves the broker never the one to refuse.
RECORD_BATCH_OVERHEAD_BYTES = 16 * 1024
# How long topic creation may take before we call the broker unavailable.
ADMIN_TIMEOUT_S = 30.0


def replication_for(brokers: int) -> tuple[int, int]:
    """(replication factor, min.insync.replicas) for a cluster of ``brokers`` live brokers."""
    factor = max(1, min(brokers, MAX_REPLICATION_FACTOR))
    return factor, CLUSTER_MIN_INSYNC_REPLICAS if factor >= MAX_REPLICATION_FACTOR else 1


def ensure_topics(settings: Settings) -> list[str]:
    """Create ``articles`` (``articles_partitions``), ``articles.dlq`` and ``articles.index-dlq``, replicated
    as the cluster's size allows (:func:`replication_for`).

    Returns the names actually created; raises ``KafkaException`` if the broker refuses.
    """
    admin = AdminClient({"bootstrap.servers": settings.kafka_bootstrap})
    wanted = {
        settings.articles_topic: settings.articles_partitions,
        settings.articles_dlq_topic: DLQ_PARTITIONS,
        settings.index_dlq_topic: DLQ_PARTITIONS,
    }
    metadata = admin.list_topics(timeout=ADMIN_TIMEOUT_S)
    factor, min_isr = replication_for(len(metadata.brokers))
    config = {
        "min.insync.replicas": str(min_isr),
        "max.message.bytes": str(settings.kafka_message_max_bytes + RECORD_BATCH_OVERHEAD_BYTES),
    }
    missing = [
        NewTopic(name, partitions, factor, config=config)
        for name, partitions in wanted.items()
        if name not in metadata.topics
    ]
    if not missing:
        return []
    created: list[str] = []
    for name, future in admin.create_topics(missing, operation_timeout=ADMIN_TIMEOUT_S).items():
        try:
            future.result(timeout=ADMIN_TIMEOUT_S)
            created.append(name)
        except KafkaException as exc:
            if exc.args[0].code() != KafkaError.TOPIC_ALREADY_EXISTS:  # a concurrent run won the race
                raise
    return created
