"""Test plumbing for the indexing tests: produce events, wait on conditions, read back, cut ES."""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Callable, Iterable
from typing import Any

from confluent_kafka import Consumer, Producer, TopicPartition
from elasticsearch import Elasticsearch

from schemas.article import ArticleEvent
from schemas.settings import Settings

WAIT_TIMEOUT_S = 120.0
WAIT_INTERVAL_S = 0.1


def wait_for(condition: Callable[[], Any], timeout_s: float = WAIT_TIMEOUT_S, what: str = "condition") -> Any:
    """Poll ``condition`` until it returns something truthy (and return it); fail after ``timeout_s``."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(WAIT_INTERVAL_S)
    raise AssertionError(f"timed out after {timeout_s:.0f} s waiting for {what}")


def produce(
    settings: Settings, messages: Iterable[tuple[bytes | str | None, bytes | str]]
) -> list[tuple[int, int]]:
    """Produce (key, value) pairs to the articles topic; returns (partition, offset) of each, in order."""
    producer = Producer({"bootstrap.servers": settings.kafka_bootstrap, "linger.ms": 5})
    positions: list[tuple[int, int] | None] = []

    for index, (key, value) in enumerate(messages):
        positions.append(None)

        def delivered(err: Any, msg: Any, index: int = index) -> None:
            assert err is None, err
            positions[index] = (msg.partition(), msg.offset())

        producer.produce(settings.articles_topic, key=key, value=value, on_delivery=delivered)
        producer.poll(0)
    assert producer.flush(30) == 0
    return [p for p in positions if p is not None]


def produce_events(settings: Settings, events: Iterable[ArticleEvent]) -> list[tuple[int, int]]:
    return produce(settings, ((event.id, event.model_dump_json()) for event in events))


def count(es: Elasticsearch, alias: str) -> int:
    es.indices.refresh(index=alias)
    return int(es.count(index=alias)["count"])


def documents(es: Elasticsearch, alias: str) -> dict[str, dict[str, Any]]:
    """Every document of the index by id, with ``_version`` added."""
    es.indices.refresh(index=alias)
    response = es.search(index=alias, size=10_000, version=True, query={"match_all": {}})
    return {hit["_id"]: hit["_source"] | {"_version": hit["_version"]} for hit in response["hits"]["hits"]}


def committed(settings: Settings, partitions: int) -> dict[int, int]:
    """The group's committed offsets per partition (negative when nothing is committed)."""
    consumer = Consumer({"bootstrap.servers": settings.kafka_bootstrap, "group.id": settings.indexer_group})
    try:
        tps = [TopicPartition(settings.articles_topic, p) for p in range(partitions)]
        return {tp.partition: tp.offset for tp in consumer.committed(tps, timeout=10)}
    finally:
        consumer.close()


def high_watermarks(settings: Settings, partitions: int) -> dict[int, int]:
    """Where committed offsets must be once everything is indexed."""
    consumer = Consumer({"bootstrap.servers": settings.kafka_bootstrap, "group.id": "watermarks"})
    try:
        tps = [TopicPartition(settings.articles_topic, p) for p in range(partitions)]
        return {tp.partition: consumer.get_watermark_offsets(tp, timeout=10)[1] for tp in tps}
    finally:
        consumer.close()


def read_topic(settings: Settings, topic: str, expected: int, timeout_s: float = 60.0) -> list[Any]:
    """Read ``expected`` messages from the start of ``topic``."""
    consumer = Consumer(
        {
            "bootstrap.servers": settings.kafka_bootstrap,
            "group.id": f"reader-{topic}-{time.monotonic_ns()}",
            "auto.offset.reset": "earliest",
            "enable.auto.commit": False,
        }
    )
    consumer.subscribe([topic])
    messages: list[Any] = []
    deadline = time.monotonic() + timeout_s
    try:
        while len(messages) < expected and time.monotonic() < deadline:
            msg = consumer.poll(0.5)
            if msg is not None and msg.error() is None:
                messages.append(msg)
    finally:
        consumer.close()
    return messages


class TcpProxy:
    """A TCP forwarder to Elasticsearch that a test can cut (connections reset) and restore."""

    def __init__(self, target: tuple[str, int]) -> None:
        self.target = target
        self.cut = threading.Event()
        self.refused = 0
        self._server = socket.create_server(("127.0.0.1", 0))
        self.port = self._server.getsockname()[1]
        self._connections: list[socket.socket] = []
        self._lock = threading.Lock()
        self._closed = False
        threading.Thread(target=self._accept, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def _accept(self) -> None:
        while not self._closed:
            try:
                client, _ = self._server.accept()
            except OSError:
                return
            if self.cut.is_set():
                self.refused += 1
                client.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
                client.close()
                continue
            upstream = socket.create_connection(self.target)
            with self._lock:
                self._connections += [client, upstream]
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(source, sink), daemon=True).start()

    def _pump(self, source: socket.socket, sink: socket.socket) -> None:
        with contextlib.suppress(OSError):
            while data := source.recv(65536):
                sink.sendall(data)
        for sock in (source, sink):
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)

    def cut_off(self) -> None:
        """Elasticsearch 'goes down': open connections are reset and new ones are closed at once."""
        self.cut.set()
        with self._lock:
            connections, self._connections = self._connections, []
        for sock in connections:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
                sock.close()

    def restore(self) -> None:
        self.cut.clear()

    def close(self) -> None:
        self._closed = True
        self.cut_off()
        self._server.close()
