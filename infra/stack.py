"""The local stack: Kafka, Elasticsearch and Prefect as child processes bound to 127.0.0.1 (one broker and
one Elasticsearch node, or a cluster of each: see ``infra.cluster``).

``up`` is idempotent and waits until each service really answers; ``down`` stops them by PID.
Data, logs and PID files live under ``settings.data_dir``.
"""

from __future__ import annotations

import socket
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import httpx

from infra import cluster, elasticsearch_node, kafka_node, prefect_server
from infra.cluster import ClusterShape
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


def _kafka_ok(bootstrap: str, brokers: int = 1) -> bool:
    """The broker answers a metadata request naming ``brokers`` brokers (a TCP probe first keeps
    librdkafka from logging)."""
    from confluent_kafka import KafkaException
    from confluent_kafka.admin import AdminClient

    host, port = _host_port(bootstrap.split(",")[0], 9092)
    try:
        socket.create_connection((host, port), timeout=1.0).close()
        admin = AdminClient({"bootstrap.servers": bootstrap, "socket.timeout.ms": 2000, "log_level": 0})
        return len(admin.list_topics(timeout=2).brokers) >= brokers
    except (OSError, KafkaException):
        return False


def _es_ok(url: str, nodes: int = 1) -> bool:
    """The node answers cluster health (so a master is elected) with ``nodes`` nodes joined."""
    try:
        response = httpx.get(f"{url}/_cluster/health", timeout=2.0)
        return response.status_code == 200 and response.json()["number_of_nodes"] >= nodes
    except (httpx.HTTPError, ValueError, KeyError):
        return False


def shape_of(settings: Settings) -> ClusterShape:
    """The shape recorded by ``stack up`` in this data dir; one broker and one node when none is."""
    return cluster.load_shape(settings.data_dir) or ClusterShape()


def services(settings: Settings, shape: ClusterShape | None = None) -> list[Service]:
    """The services of the stack (one per Kafka broker and Elasticsearch node, then Prefect)."""
    shape = shape or shape_of(settings)
    return [*_kafka_services(settings, shape), *_es_services(settings, shape), _prefect_service(settings)]


def _kafka_services(settings: Settings, shape: ClusterShape) -> list[Service]:
    data, cache = settings.data_dir, settings.cache_dir
    _, base_port = _host_port(settings.kafka_bootstrap.split(",")[0], 9092)  # the first broker's port
    nodes = shape.kafka_nodes(base_port)
    single = len(nodes) == 1
    factor, min_isr = cluster.replication(len(nodes))

    def service(node: cluster.KafkaNode) -> Service:
        name = "kafka" if single else f"kafka-{node.node_id}"
        node_dir = data / name

        def prepare() -> tuple[list[str], dict[str, str]]:
            lib = kafka_node.build(cache)
            properties = kafka_node.configure(
                node_dir,
                node.port,
                controller_port=node.controller_port,
                node_id=node.node_id,
                voters=cluster.voters(nodes),
                replication_factor=factor,
                min_insync_replicas=min_isr,
            )
            id_file = None if single else data / "kafka-cluster.id"
            kafka_node.format_storage(lib, node_dir, properties, id_file)
            heap = kafka_node.HEAP_MB if single else kafka_node.CLUSTER_HEAP_MB
            return kafka_node.command(lib, node_dir, properties, heap), {}

        address = f"{cluster.HOST}:{node.port}"
        return Service(
            name,
            address,
            ManagedProcess(name, data / "run", data / "logs" / f"{name}.out", kafka_node.MAIN_CLASS),
            prepare,
            lambda: _kafka_ok(address, len(nodes)),
            KAFKA_START_TIMEOUT_S,
        )

    return [service(node) for node in nodes]


def _es_services(settings: Settings, shape: ClusterShape) -> list[Service]:
    data, cache = settings.data_dir, settings.cache_dir
    _, base_port = _host_port(settings.es_url, 9200)
    nodes = shape.es_nodes_at(base_port)
    single = len(nodes) == 1

    def service(index: int, node: cluster.EsNode) -> Service:
        name = "elasticsearch" if single else f"elasticsearch-{index + 1}"

        def prepare() -> tuple[list[str], dict[str, str]]:
            elasticsearch_node.build(cache)
            argv = elasticsearch_node.command(
                cache,
                data / name,
                http_port=node.http_port,
                transport_port=node.transport_port,
                node_settings=cluster.es_node_settings(node, nodes),
            )
            return argv, {}

        url = f"http://{cluster.HOST}:{node.http_port}"
        return Service(
            name,
            url,
            ManagedProcess(name, data / "run", data / "logs" / f"{name}.out", elasticsearch_node.MAIN_CLASS),
            prepare,
            lambda: _es_ok(url, len(nodes)),
            ES_START_TIMEOUT_S,
        )

    return [service(i, node) for i, node in enumerate(nodes)]


def _prefect_service(settings: Settings) -> Service:
    data = settings.data_dir
    pf_host, pf_port = _host_port(settings.prefect_url, 4200)

    def prepare() -> tuple[list[str], dict[str, str]]:
        (data / "prefect").mkdir(parents=True, exist_ok=True)
        return prefect_server.command(pf_host, pf_port), prefect_server.environment(
            data / "prefect", settings.api_url
        )

    return Service(
        "prefect",
        settings.prefect_url,
        ManagedProcess("prefect", data / "run", data / "logs" / "prefect.out", "server start"),
        prepare,
        lambda: http_ok(f"{settings.api_url}/health"),
        PREFECT_START_TIMEOUT_S,
    )


def _chosen_shape(settings: Settings, requested: ClusterShape | None) -> ClusterShape:
    """The requested shape (default: the recorded one); refused if a stack of another shape runs here."""
    recorded = cluster.load_shape(settings.data_dir)
    shape = requested or recorded or ClusterShape()
    if recorded and recorded != shape and any(s.process.running_pid() for s in services(settings, recorded)):
        raise StackError(
            f"a stack of another shape runs in {settings.data_dir} ({recorded.kafka_brokers} broker(s), "
            f"{recorded.es_nodes} Elasticsearch node(s)): `newsflow stack down` first"
        )
    return shape


def up(
    settings: Settings, log: Callable[[str], None] = print, shape: ClusterShape | None = None
) -> list[Service]:
    """Start what is not running, then wait for every service to answer. Idempotent.

    ``shape`` asks for a cluster (several brokers / Elasticsearch nodes); it is recorded in the data dir
    and is the default of the next ``up``, ``down`` and ``status``.
    """
    shape = _chosen_shape(settings, shape)
    cluster.save_shape(settings.data_dir, shape)
    stack = services(settings, shape)
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
    """Stop every service we started (SIGTERM, wait, then SIGKILL): Prefect first (it uses neither), then
    the Elasticsearch nodes, then the brokers. The nodes of one kind stop together: brokers stopped one by
    one would leave the last ones waiting on a controller quorum that is already gone."""
    stack = services(settings)
    groups = [
        [svc for svc in stack if svc.name == "prefect"],
        [svc for svc in stack if svc.name.startswith("elasticsearch")],
        [svc for svc in stack if svc.name.startswith("kafka")],
    ]
    for group in groups:
        with ThreadPoolExecutor(max_workers=len(group) or 1) as pool:
            stopped = list(pool.map(lambda svc: svc.process.stop(), group))
        for svc, was_running in zip(group, stopped, strict=True):
            log(f"{svc.name}: {'stopped' if was_running else 'not running'}")
    cluster.forget_shape(settings.data_dir)


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
    """The log file of one service (``kafka``, ``elasticsearch`` or ``prefect``; ``kafka-2``... in a
    cluster)."""
    stack = services(settings)
    for svc in stack:
        if svc.name == name:
            return svc.process.log_file
    raise StackError(f"unknown service {name!r}: choose {', '.join(svc.name for svc in stack)}")
