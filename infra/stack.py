"""The local stack: Kafka, Elasticsearch and Prefect as child processes bound to 127.0.0.1.

``up`` is idempotent and waits until each service really answers; ``down`` stops them by PID.
Data, logs and PID files live under ``settings.data_dir``.
"""

from __future__ import annotations

import socket
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import httpx

from infra import elasticsearch_node, kafka_node, prefect_server
from infra.processes import ManagedProcess, wait_until
from schemas.settings import Settings

# Start-up bounds, measured on the 2-core dev machine (warm: Kafka ~5 s, Elasticsearch ~20 s,
# Prefect ~15 s) with room for a loaded CI machine. Past them `up` fails with the log tail.
KAFKA_START_TIMEOUT_S = 90.0
ES_START_TIMEOUT_S = 180.0
PREFECT_START_TIMEOUT_S = 180.0


class StackError(RuntimeError):
    """A service did not come up; the message says which, why, and where its log is."""


@dataclass
class Service:
    name: str
    url: str
    process: ManagedProcess
    prepare: Callable[[], tuple[list[str], dict[str, str]]]  # builds/configures; returns argv, env
    healthy: Callable[[], bool]
    start_timeout_s: float
    info: dict[str, float] = field(default_factory=dict)


def _host_port(address: str, default_port: int) -> tuple[str, int]:
    parts = urlsplit(address if "//" in address else f"//{address}")
    return parts.hostname or "127.0.0.1", parts.port or default_port


def http_ok(url: str) -> bool:
    """The URL answers 200 within 2 s (a readiness probe)."""
    try:
        return httpx.get(url, timeout=2.0).status_code == 200
    except httpx.HTTPError:
        return False


def _kafka_ok(bootstrap: str) -> bool:
    """The broker answers a metadata request (a TCP probe first keeps librdkafka from logging)."""
    from confluent_kafka import KafkaException
    from confluent_kafka.admin import AdminClient

    host, port = _host_port(bootstrap.split(",")[0], 9092)
    try:
        socket.create_connection((host, port), timeout=1.0).close()
        admin = AdminClient({"bootstrap.servers": bootstrap, "socket.timeout.ms": 2000, "log_level": 0})
        return bool(admin.list_topics(timeout=2).brokers)
    except (OSError, KafkaException):
        return False


def services(settings: Settings) -> list[Service]:
    """The three services of the stack, configured from settings."""
    data = settings.data_dir
    run_dir, logs, cache = data / "run", data / "logs", settings.cache_dir
    _, kafka_port = _host_port(settings.kafka_bootstrap, 9092)
    es_host, es_port = _host_port(settings.es_url, 9200)
    pf_host, pf_port = _host_port(settings.prefect_url, 4200)

    def prepare_kafka() -> tuple[list[str], dict[str, str]]:
        lib = kafka_node.build(cache)
        properties = kafka_node.configure(data / "kafka", kafka_port)
        kafka_node.format_storage(lib, data / "kafka", properties)
        return kafka_node.command(lib, data / "kafka", properties), {}

    def prepare_es() -> tuple[list[str], dict[str, str]]:
        elasticsearch_node.build(cache)
        return elasticsearch_node.command(
            cache, data / "elasticsearch", http_port=es_port, transport_port=es_port + 100
        ), {}

    def prepare_prefect() -> tuple[list[str], dict[str, str]]:
        (data / "prefect").mkdir(parents=True, exist_ok=True)
        return prefect_server.command(pf_host, pf_port), prefect_server.environment(
            data / "prefect", settings.api_url
        )

    return [
        Service(
            "kafka",
            settings.kafka_bootstrap,
            ManagedProcess("kafka", run_dir, logs / "kafka.out", kafka_node.MAIN_CLASS),
            prepare_kafka,
            lambda: _kafka_ok(settings.kafka_bootstrap),
            KAFKA_START_TIMEOUT_S,
        ),
        Service(
            "elasticsearch",
            settings.es_url,
            ManagedProcess(
                "elasticsearch", run_dir, logs / "elasticsearch.out", elasticsearch_node.MAIN_CLASS
            ),
            prepare_es,
            lambda: http_ok(f"http://{es_host}:{es_port}/_cluster/health"),
            ES_START_TIMEOUT_S,
        ),
        Service(
            "prefect",
            settings.prefect_url,
            ManagedProcess("prefect", run_dir, logs / "prefect.out", "server start"),
            prepare_prefect,
            lambda: http_ok(f"{settings.api_url}/health"),
            PREFECT_START_TIMEOUT_S,
        ),
    ]


def up(settings: Settings, log: Callable[[str], None] = print) -> list[Service]:
    """Start what is not running, then wait for every service to answer. Idempotent."""
    stack = services(settings)
    started_at = time.monotonic()
    for svc in stack:
        if svc.process.running_pid() is not None:
            svc.info["already_running"] = 1
            continue
        if svc.healthy():
            raise StackError(
                f"{svc.name}: something else already answers at {svc.url} (not started by newsflow); "
                f"stop it or point NEWSFLOW_* settings at it and skip `stack up`"
            )
        argv, env = svc.prepare()
        svc.process.start(argv, env=env, cwd=settings.data_dir)
        log(f"{svc.name}: starting (log: {svc.process.log_file})")
    for svc in stack:
        if not wait_until(svc.healthy, svc.start_timeout_s, while_alive=svc.process):
            why = "exited" if svc.process.exited_early() else f"no answer within {svc.start_timeout_s:.0f} s"
            raise StackError(
                f"{svc.name} did not come up ({why}). Last lines of {svc.process.log_file}:\n"
                f"{svc.process.tail()}\nFix the cause, then run `newsflow stack up` again."
            )
        svc.info["ready_after_s"] = time.monotonic() - started_at
        log(f"{svc.name}: ready at {svc.url} after {svc.info['ready_after_s']:.1f} s")
    return stack


def ensure_up(settings: Settings) -> bool:
    """Bring the stack up; True if this call started at least one service (so the caller stops it)."""
    stack = up(settings, log=lambda _msg: None)
    return any("already_running" not in svc.info for svc in stack)


def down(settings: Settings, log: Callable[[str], None] = print) -> None:
    """Stop every service we started (SIGTERM, wait, then SIGKILL). Prefect first: it uses neither."""
    for svc in reversed(services(settings)):
        if svc.process.stop():
            log(f"{svc.name}: stopped")
        else:
            log(f"{svc.name}: not running")


def status(settings: Settings) -> list[dict[str, object]]:
    """One row per service: pid, url, answering or not, resident memory."""
    rows = []
    for svc in services(settings):
        pid = svc.process.running_pid()
        rows.append(
            {
                "service": svc.name,
                "pid": pid,
                "url": svc.url,
                "healthy": bool(pid) and svc.healthy(),
                "rss_mb": round(svc.process.rss_bytes() / 2**20),
                "log": str(svc.process.log_file),
            }
        )
    return rows


def log_path(settings: Settings, name: str) -> Path:
    """The log file of one service (``kafka``, ``elasticsearch`` or ``prefect``)."""
    for svc in services(settings):
        if svc.name == name:
            return svc.process.log_file
    raise StackError(f"unknown service {name!r}: choose kafka, elasticsearch or prefect")
