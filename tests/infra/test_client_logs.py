"""Client logs during an outage: one line down, one line back, no per-attempt noise on stderr."""

from __future__ import annotations

import json
import logging
import socket

import pytest
from confluent_kafka import Producer

from infra.client_logs import LIBRDKAFKA_LOGGER, ServiceState, brokers_all_up, kafka_client_config
from ingest.publish.producer import producer_config
from schemas.settings import Settings
from tests.indexing.helpers import wait_for

log = logging.getLogger("tests.client_logs")


def _dead_port() -> int:
    with socket.socket() as sock:  # bound, never listening: every connection is refused
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_an_outage_logs_one_line_down_and_one_line_back(caplog: pytest.LogCaptureFixture) -> None:
    state = ServiceState("Kafka", log)
    with caplog.at_level(logging.WARNING, logger=log.name):
        for attempt in range(50):
            state.down(f"connection refused #{attempt}")
        state.up()
        state.up()
    lines = [record.getMessage() for record in caplog.records]
    assert len(lines) == 2
    assert "Kafka unavailable (connection refused #0)" in lines[0]
    assert "Kafka is back" in lines[1] and "50 failed attempts" in lines[1]


def test_broker_states_are_read_from_librdkafka_statistics() -> None:
    def stats(*states: str) -> str:
        brokers = {"127.0.0.1:9092/bootstrap": {"nodeid": -1, "state": "INIT"}}
        brokers |= {f"127.0.0.1:{9092 + i}/{i}": {"nodeid": i, "state": s} for i, s in enumerate(states)}
        return json.dumps({"brokers": brokers})

    assert brokers_all_up(stats("UP", "UP", "UP")) is True
    assert brokers_all_up(stats("UP", "DOWN", "UP")) is False
    assert brokers_all_up(stats()) is None


def test_the_article_producer_routes_librdkafka_logs_and_errors() -> None:
    config = producer_config(Settings(kafka_bootstrap="127.0.0.1:1"))
    assert config["logger"].name == LIBRDKAFKA_LOGGER
    assert callable(config["error_cb"]) and callable(config["stats_cb"])


def test_an_unreachable_broker_prints_no_connection_refused_lines(
    capfd: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture
) -> None:
    state = ServiceState("Kafka", log)
    bootstrap = f"127.0.0.1:{_dead_port()}"
    producer = Producer(
        {"bootstrap.servers": bootstrap, "reconnect.backoff.max.ms": 200, **kafka_client_config(state)}
    )
    with caplog.at_level(logging.DEBUG):
        producer.produce("nowhere", b"x")
        wait_for(lambda: producer.poll(0.2) is not None and state.errors >= 5, 60, "5 refused connections")
        producer.purge()
        producer.flush(1)
    assert "Connection refused" not in capfd.readouterr().err
    ours = [r.getMessage() for r in caplog.records if r.name == log.name]
    assert len(ours) == 1 and "Kafka unavailable" in ours[0]
    assert not [r for r in caplog.records if r.name == LIBRDKAFKA_LOGGER and r.levelno < logging.CRITICAL]
