"""Create the ingestion topics if missing (idempotent: an existing topic is left as it is)."""

from __future__ import annotations

import time

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
# A created topic reaches each broker's metadata cache a moment after the controller commits it (KRaft
# propagates asynchronously: on 3 brokers CI once listed it as unknown right after creation). Polling
# 5 times a second costs one small metadata request per tick, only while waiting.
VISIBLE_POLL_S = 0.2


def replication_for(brokers: int) -> tuple[int, int]:
    """(replication factor, min.insync.replicas) for a cluster of ``brokers`` live brokers."""
    factor = max(1, min(brokers, MAX_REPLICATION_FACTOR))
    return factor, CLUSTER_MIN_INSYNC_REPLICAS if factor >= MAX_REPLICATION_FACTOR else 1


def ensure_topics(settings: Settings) -> list[str]:
    """Create ``articles`` (``articles_partitions``), ``articles.dlq`` and ``articles.index-dlq``, replicated
    as the cluster's size allows (:func:`replication_for`).

    Returns the names actually created, once every partition of each is visible with a leader (a caller
    may list, produce or consume right away); raises ``KafkaException`` if the broker refuses and
    ``TimeoutError`` if a created topic stays invisible for ``ADMIN_TIMEOUT_S``.
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
    _wait_visible(admin, {name: wanted[name] for name in created})
    return created


def _ready(topic, partitions: int) -> bool:
    """The topic's metadata (None when unlisted) shows ``partitions`` partitions, each with a leader."""
    return (
        topic is not None
        and topic.error is None
        and len(topic.partitions) == partitions
        and all(p.leader >= 0 for p in topic.partitions.values())
    )


def _wait_visible(admin: AdminClient, partitions: dict[str, int]) -> None:
    """Wait until each topic shows its ``partitions`` count, every one with a leader."""
    deadline = time.monotonic() + ADMIN_TIMEOUT_S
    pending = dict(partitions)
    while pending:
        for name, count in list(pending.items()):
            topic = admin.list_topics(topic=name, timeout=ADMIN_TIMEOUT_S).topics.get(name)
            if _ready(topic, count):
                del pending[name]
        if not pending:
            return
        if time.monotonic() > deadline:
            raise TimeoutError(
                f"topics {sorted(pending)} were created but no broker lists them with leaders after "
                f"{ADMIN_TIMEOUT_S:.0f} s; check the brokers' logs (newsflow stack status)"
            )
        time.sleep(VISIBLE_POLL_S)
