"""Cluster mode: 3 brokers and 2 Elasticsearch nodes lose one of each and keep taking writes and searches.

The cluster is a throwaway stack on its own ports and data dir (never the shared one), stopped at the end.
"""

from __future__ import annotations

import os
import signal
import socket
from collections.abc import Iterator
from pathlib import Path

import psutil
import pytest
from confluent_kafka import Consumer
from confluent_kafka.admin import AdminClient, ConfigResource
from elasticsearch import Elasticsearch

from indexing import templates
from indexing.search import SearchRequest, search
from infra import stack as local_stack
from infra.cluster import ES_TRANSPORT_OFFSET, ClusterShape
from infra.processes import wait_until
from ingest.publish.producer import make_producer
from ingest.publish.topics import ensure_topics
from schemas.settings import Settings

pytestmark = pytest.mark.stack

SHAPE = ClusterShape(kafka_brokers=3, es_nodes=2)
# This suite's own port range, away from the shared stack (9092/9200/4200), the chaos stack (19xxx) and
# below Linux's ephemeral range (32768-60999), where a client's outgoing connection may hold a port.
PORT_SCAN = range(24100, 24900, 10)
# A broker killed with -9 stops heartbeating; the controller fences it after broker.session.timeout.ms
# (18 s), then moves its partition leaderships. Room for a loaded machine.
FAILOVER_TIMEOUT_S = 120.0
DOCS_BEFORE, DOCS_AFTER = 30, 10


def _free_base(offsets: list[int], taken: set[int]) -> int:
    """The first base port in the scan range where ``base + offset`` is free for every offset."""
    for base in PORT_SCAN:
        ports = {base + offset for offset in offsets}
        if taken.isdisjoint(ports) and all(_free(port) for port in ports):
            taken.update(ports)
            return base
    raise RuntimeError("no free ports for the test cluster")


def _free(port: int) -> bool:
    """Nothing listens on the port and nothing holds it (binding, not connecting, sees both)."""
    with socket.socket() as sock:
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


@pytest.fixture()
def cluster(stack: Settings, tmp_path: Path, run_id: str) -> Iterator[Settings]:
    taken: set[int] = set()
    kafka = _free_base(list(range(2 * SHAPE.kafka_brokers)), taken)  # brokers, then controllers
    es = _free_base(
        [*range(SHAPE.es_nodes), *range(ES_TRANSPORT_OFFSET, ES_TRANSPORT_OFFSET + SHAPE.es_nodes)], taken
    )
    prefect = _free_base([0], taken)
    settings = Settings(
        data_dir=tmp_path / "cluster",
        cache_dir=stack.cache_dir,
        kafka_bootstrap=",".join(f"127.0.0.1:{kafka + i}" for i in range(SHAPE.kafka_brokers)),
        es_url=f"http://127.0.0.1:{es}",
        prefect_url=f"http://127.0.0.1:{prefect}",
        articles_topic=f"cluster-{run_id}",
        articles_dlq_topic=f"cluster-{run_id}.dlq",
        index_dlq_topic=f"cluster-{run_id}.index-dlq",
        index_alias=f"cluster-{run_id}",
    )
    try:
        local_stack.up(settings, log=lambda _m: None, shape=SHAPE)
        yield settings
    finally:
        local_stack.down(settings, log=lambda _m: None)


def _kill(settings: Settings, name: str) -> None:
    svc = next(s for s in local_stack.services(settings) if s.name == name)
    pid = svc.process.running_pid()
    assert pid is not None
    os.kill(pid, signal.SIGKILL)
    psutil.Process(pid).wait(30)


def _produce(settings: Settings, values: list[str]) -> list[str | None]:
    producer = make_producer(settings)
    errors: list[str | None] = []
    for value in values:
        producer.produce(
            settings.articles_topic,
            key=value.encode(),
            value=value.encode(),
            on_delivery=lambda err, _m: errors.append(err and err.str()),
        )
    assert producer.flush(FAILOVER_TIMEOUT_S) == 0
    return errors


def _consume_all(settings: Settings, expected: int) -> set[str]:
    consumer = Consumer(
        {
            "bootstrap.servers": settings.kafka_bootstrap,
            "group.id": f"{settings.articles_topic}-reader",
            "auto.offset.reset": "earliest",
        }
    )
    consumer.subscribe([settings.articles_topic])
    seen: set[str] = set()
    try:
        wait_until(lambda: _poll_into(consumer, seen) >= expected, FAILOVER_TIMEOUT_S, interval_s=0)
    finally:
        consumer.close()
    return seen


def _poll_into(consumer: Consumer, seen: set[str]) -> int:
    msg = consumer.poll(1.0)
    if msg is not None and msg.error() is None:
        seen.add(msg.value().decode())
    return len(seen)


def _index(es: Elasticsearch, alias: str, start: int, count: int) -> None:
    for i in range(start, start + count):
        es.index(
            index=alias,
            id=f"doc-{i}",
            document={
                "id": f"doc-{i}",
                "url": f"https://example.test/{i}",
                "source": {"domain": "example.test", "name": "Example"},
                "title": f"Replicated harbour story {i}",
                "text": "The harbour authority reopened the quay after the storm.",
            },
        )
    es.indices.refresh(index=alias)


@pytest.mark.timeout(900)
def test_cluster_survives_losing_a_broker_and_an_es_node(cluster: Settings) -> None:
    settings = cluster
    admin = AdminClient({"bootstrap.servers": settings.kafka_bootstrap})
    ensure_topics(settings)
    topic = admin.list_topics(topic=settings.articles_topic, timeout=30).topics[settings.articles_topic]
    assert len(topic.partitions) == settings.articles_partitions
    assert all(len(p.replicas) == 3 and len(p.isrs) == 3 for p in topic.partitions.values())
    resource = ConfigResource("topic", settings.articles_topic)
    assert admin.describe_configs([resource])[resource].result()["min.insync.replicas"].value == "2"

    es = Elasticsearch(settings.es_url, request_timeout=60)
    index = templates.ensure_index(es, settings.index_alias)
    es.cluster.health(index=index, wait_for_status="green", timeout="60s")
    shards = es.cat.shards(index=index, format="json").body
    assert sorted(s["prirep"] for s in shards) == ["p", "r"]
    assert {s["state"] for s in shards} == {"STARTED"}
    assert len({s["node"] for s in shards}) == 2  # primary and replica on different nodes
    _index(es, settings.index_alias, 0, DOCS_BEFORE)
    assert _produce(settings, [f"before-{i}" for i in range(20)]) == [None] * 20

    # The leader of partition 0 and the node that is not the elected master (es-2) die.
    leader = topic.partitions[0].leader
    _kill(settings, f"kafka-{leader}")
    _kill(settings, "elasticsearch-2")

    def isr_shrunk() -> bool:
        meta = admin.list_topics(topic=settings.articles_topic, timeout=10).topics[settings.articles_topic]
        return all(p.leader != leader and leader not in p.isrs for p in meta.partitions.values())

    assert wait_until(isr_shrunk, FAILOVER_TIMEOUT_S), "leadership did not move off the dead broker"
    assert _produce(settings, [f"after-{i}" for i in range(20)]) == [None] * 20
    seen = _consume_all(settings, 40)
    assert seen == {f"{when}-{i}" for when in ("before", "after") for i in range(20)}

    assert es.count(index=settings.index_alias)["count"] == DOCS_BEFORE
    _index(es, settings.index_alias, DOCS_BEFORE, DOCS_AFTER)
    result = search(es, settings.index_alias, SearchRequest(query="harbour", size=100))
    assert result.total == DOCS_BEFORE + DOCS_AFTER
    assert len({hit.id for hit in result.hits}) == DOCS_BEFORE + DOCS_AFTER
