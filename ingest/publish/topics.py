"""Create the ingestion topics if missing (idempotent: an existing topic is left as it is)."""

from __future__ import annotations

from confluent_kafka import KafkaError, KafkaException
from confluent_kafka.admin import AdminClient, NewTopic

from schemas.settings import Settings

# One broker locally: replication 1. A production cluster sets this to 3 through its own tooling.
REPLICATION_FACTOR = 1
# Dead letters are rare and read by people: one partition keeps them in arrival order.
DLQ_PARTITIONS = 1
# A record batch holding one message of ``kafka_message_max_bytes`` adds its header (61 B) and the
# record's framing; 16 KiB more than the producer's limit leaves the broker never the one to refuse.
RECORD_BATCH_OVERHEAD_BYTES = 16 * 1024
# How long topic creation may take before we call the broker unavailable.
ADMIN_TIMEOUT_S = 30.0


def ensure_topics(settings: Settings) -> list[str]:
    """Create ``articles`` (``articles_partitions``), ``articles.dlq`` and ``articles.index-dlq``.

    Returns the names actually created; raises ``KafkaException`` if the broker refuses.
    """
    admin = AdminClient({"bootstrap.servers": settings.kafka_bootstrap})
    wanted = {
        settings.articles_topic: settings.articles_partitions,
        settings.articles_dlq_topic: DLQ_PARTITIONS,
        settings.index_dlq_topic: DLQ_PARTITIONS,
    }
    existing = admin.list_topics(timeout=ADMIN_TIMEOUT_S).topics
    config = {"max.message.bytes": str(settings.kafka_message_max_bytes + RECORD_BATCH_OVERHEAD_BYTES)}
    missing = [
        NewTopic(name, partitions, REPLICATION_FACTOR, config=config)
        for name, partitions in wanted.items()
        if name not in existing
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
