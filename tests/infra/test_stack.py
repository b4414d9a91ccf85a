"""The local stack's real servers answer the way the pipeline needs them to."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import httpx
import psutil
import pytest
from confluent_kafka import Consumer, Producer
from confluent_kafka.admin import AdminClient, NewTopic
from elasticsearch import Elasticsearch

from infra import stack as local_stack
from schemas.settings import Settings

REPO = Path(__file__).resolve().parents[2]


def test_kafka_round_trip(stack: Settings, run_id: str) -> None:
    topic = f"roundtrip-{run_id}"
    admin = AdminClient({"bootstrap.servers": stack.kafka_bootstrap})
    admin.create_topics([NewTopic(topic, num_partitions=1, replication_factor=1)])[topic].result(timeout=30)
    delivered = []
    producer = Producer(
        {"bootstrap.servers": stack.kafka_bootstrap, "acks": "all", "enable.idempotence": True}
    )
    for i in range(10):
        producer.produce(
            topic,
            key=f"k{i}",
            value=f"v{i}",
            on_delivery=lambda err, msg: delivered.append((err, msg.offset())),
        )
    assert producer.flush(30) == 0
    assert [err for err, _ in delivered] == [None] * 10

    consumer = Consumer(
        {
            "bootstrap.servers": stack.kafka_bootstrap,
            "group.id": f"g-{run_id}",
            "auto.offset.reset": "earliest",
            "enable.auto.commit": False,
        }
    )
    consumer.subscribe([topic])
    seen: list[tuple[bytes, bytes]] = []
    try:
        while len(seen) < 10:
            msg = consumer.poll(30)
            assert msg is not None, f"timed out after {len(seen)} messages"
            assert msg.error() is None
            seen.append((msg.key(), msg.value()))
        consumer.commit(asynchronous=False)
    finally:
        consumer.close()
    assert seen == [(f"k{i}".encode(), f"v{i}".encode()) for i in range(10)]


def test_elasticsearch_index_search_aggregate_and_stem(stack: Settings, run_id: str) -> None:
    es = Elasticsearch(stack.es_url, request_timeout=30)
    index = f"smoke-{run_id}"
    es.indices.create(
        index=index,
        mappings={
            "properties": {
                "text": {"type": "text", "analyzer": "english"},
                "lang": {"type": "keyword"},
            }
        },
    )
    try:
        es.index(index=index, id="1", document={"text": "She runs the marathon", "lang": "en"})
        es.index(index=index, id="2", document={"text": "Elections in France", "lang": "fr"})
        es.index(index=index, id="3", document={"text": "Voters ran to the polls", "lang": "en"})
        es.indices.refresh(index=index)

        stemmed = es.search(index=index, query={"match": {"text": "running"}})
        assert [hit["_id"] for hit in stemmed["hits"]["hits"]] == ["1"]

        aggs = es.search(index=index, size=0, aggs={"langs": {"terms": {"field": "lang"}}})
        buckets = {b["key"]: b["doc_count"] for b in aggs["aggregations"]["langs"]["buckets"]}
        assert buckets == {"en": 2, "fr": 1}
        assert es.info()["tagline"] == "You Know, for Search"
    finally:
        es.indices.delete(index=index)


def test_prefect_flow_run_is_recorded_completed(stack: Settings) -> None:
    script = (
        "from prefect import flow\n"
        "@flow(name='newsflow-smoke')\n"
        "def smoke(x: int) -> int:\n"
        "    return x * 2\n"
        "state = smoke(21, return_state=True)\n"
        "print(state.state_details.flow_run_id)\n"
    )
    env = {**os.environ, "PREFECT_API_URL": stack.api_url}
    out = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=300, check=True
    )
    flow_run_id = out.stdout.strip().splitlines()[-1]
    run = httpx.get(f"{stack.api_url}/flow_runs/{flow_run_id}", timeout=10).json()
    assert run["state"]["type"] == "COMPLETED"


def test_stack_up_twice_is_fine(stack: Settings) -> None:
    before = {row["service"]: row["pid"] for row in local_stack.status(stack)}
    assert local_stack.ensure_up(stack) is False  # nothing needed starting
    after = {row["service"]: row["pid"] for row in local_stack.status(stack)}
    assert before == after
    assert all(after.values())


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.timeout(600)
def test_stack_down_leaves_no_process_behind(stack: Settings, tmp_path: Path) -> None:
    """A second, throwaway stack on other ports and data dir: up, then down, then nothing remains."""
    kafka_port, es_port, prefect_port = _free_port(), _free_port(), _free_port()
    other = Settings(
        data_dir=tmp_path / "stack",
        cache_dir=stack.cache_dir,
        kafka_bootstrap=f"127.0.0.1:{kafka_port}",
        es_url=f"http://127.0.0.1:{es_port}",
        prefect_url=f"http://127.0.0.1:{prefect_port}",
    )
    started = local_stack.up(other, log=lambda _m: None)
    pids = [svc.process.running_pid() for svc in started]
    assert all(pids)
    tree = [p for pid in pids for p in [psutil.Process(pid), *psutil.Process(pid).children(recursive=True)]]
    local_stack.down(other, log=lambda _m: None)
    assert [p.pid for p in tree if p.is_running() and p.status() != psutil.STATUS_ZOMBIE] == []
    assert not list((other.data_dir / "run").glob("*.pid"))
    assert all(row["pid"] is None for row in local_stack.status(other))
