"""Apache Kafka 4 (KRaft: one node, or a cluster of combined broker + controller nodes) from Maven Central
jars: build once, format once, run."""

from __future__ import annotations

import base64
import shutil
import subprocess
import uuid
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent / "kafka"
MAIN_CLASS = "kafka.Kafka"
# 512 MB heap: a single broker with a handful of topics and < 1 GB of data stays well under it;
# Kafka relies on the OS page cache, not the heap, for throughput.
HEAP_MB = 512
# 384 MB per broker of a local cluster: three of them must fit beside two Elasticsearch nodes on a shared
# machine, and a test cluster carries a few MB of articles (the page cache does the rest).
CLUSTER_HEAP_MB = 384


def build(cache_dir: Path, log: Callable[[str], None] = print) -> Path:
    """Download the broker jars into ``cache_dir/kafka/lib`` on first use; offline afterwards."""
    lib = cache_dir / "kafka" / "lib"
    if lib.is_dir() and any(lib.glob("kafka_2.13-*.jar")):
        return lib
    log("kafka: fetching broker jars from Maven Central (first run only)")
    tmp = lib.with_name("lib.partial")
    shutil.rmtree(tmp, ignore_errors=True)
    result = subprocess.run(
        [
            "mvn",
            "-q",
            "-B",
            "-f",
            str(HERE / "pom.xml"),
            "dependency:copy-dependencies",
            f"-DoutputDirectory={tmp}",
        ],
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        tail = "\n".join((result.stdout + result.stderr).splitlines()[-20:])
        raise RuntimeError(f"mvn could not fetch the Kafka jars (is Maven Central reachable?):\n{tail}")
    tmp.rename(lib)
    return lib


def _cluster_id(data_dir: Path, id_file: Path | None = None) -> str:
    """A fixed cluster id, made once and kept in ``id_file`` (default: in the data dir; a cluster's nodes
    share one file), in Kafka's base64 UUID form."""
    id_file = id_file or data_dir / "cluster.id"
    if not id_file.exists() or id_file.read_text().startswith("-"):  # such an id never formatted anything
        id_file.parent.mkdir(parents=True, exist_ok=True)
        id_file.write_text(new_cluster_id())
    return id_file.read_text().strip()


def new_cluster_id() -> str:
    """A random id in Kafka's base64 UUID form that does not start with "-": the storage tool would read
    such an id as an option ("argument --cluster-id/-t: expected one argument", 1 id in 64; CI met it).
    Kafka's own ``Uuid.randomUuid`` draws again for the same reason."""
    while (cluster_id := base64.urlsafe_b64encode(uuid.uuid4().bytes).decode().rstrip("=")).startswith("-"):
        pass
    return cluster_id


def configure(
    data_dir: Path,
    port: int,
    *,
    controller_port: int | None = None,
    node_id: int = 1,
    voters: str | None = None,
    replication_factor: int = 1,
    min_insync_replicas: int = 1,
) -> Path:
    """Write server.properties for this data dir and ports; returns its path.

    Defaults: a single node whose controller listens on ``port + 1``. A cluster member passes its
    ``node_id``, the quorum's ``voters`` (``1@host:port,2@host:port,...``) and the replication settings.
    """
    controller_port = controller_port or port + 1
    props = (
        (HERE / "server.properties")
        .read_text()
        .format(
            data_dir=data_dir / "log",
            port=port,
            controller_port=controller_port,
            node_id=node_id,
            voters=voters or f"{node_id}@127.0.0.1:{controller_port}",
            replication_factor=replication_factor,
            min_insync_replicas=min_insync_replicas,
        )
    )
    path = data_dir / "server.properties"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(props)
    return path


def format_storage(lib: Path, data_dir: Path, properties: Path, cluster_id_file: Path | None = None) -> None:
    """Format the KRaft storage once (a ``meta.properties`` in the log dir says it was done); a cluster's
    nodes pass the same ``cluster_id_file``."""
    if (data_dir / "log" / "meta.properties").exists():
        return
    result = subprocess.run(
        [
            "java",
            "-cp",
            f"{lib}/*",
            "kafka.tools.StorageTool",
            "format",
            "-t",
            _cluster_id(data_dir, cluster_id_file),
            "-c",
            str(properties),
            "--ignore-formatted",
        ],
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        raise RuntimeError(f"kafka storage format failed:\n{result.stdout}{result.stderr}")


def command(lib: Path, data_dir: Path, properties: Path, heap_mb: int = HEAP_MB) -> list[str]:
    """The java argv running the broker in the foreground until SIGTERM."""
    return [
        "java",
        f"-Xmx{heap_mb}m",
        f"-Xms{heap_mb // 2}m",
        "-XX:+UseG1GC",
        f"-Dlog4j2.configurationFile={HERE / 'log4j2.yaml'}",
        "-cp",
        f"{lib}/*",
        MAIN_CLASS,
        str(properties),
    ]
