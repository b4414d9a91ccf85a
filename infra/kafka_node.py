"""Apache Kafka 4 (KRaft, single node) from Maven Central jars: build once, format once, run."""

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


def _cluster_id(data_dir: Path) -> str:
    """A fixed cluster id, made once and kept in the data dir (Kafka's base64 UUID form)."""
    id_file = data_dir / "cluster.id"
    if not id_file.exists():
        id_file.parent.mkdir(parents=True, exist_ok=True)
        id_file.write_text(base64.urlsafe_b64encode(uuid.uuid4().bytes).decode().rstrip("="))
    return id_file.read_text().strip()


def configure(data_dir: Path, port: int) -> Path:
    """Write server.properties for this data dir and ports; returns its path."""
    props = (
        (HERE / "server.properties")
        .read_text()
        .format(data_dir=data_dir / "log", port=port, controller_port=port + 1)
    )
    path = data_dir / "server.properties"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(props)
    return path


def format_storage(lib: Path, data_dir: Path, properties: Path) -> None:
    """Format the KRaft storage once (a ``meta.properties`` in the log dir says it was done)."""
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
            _cluster_id(data_dir),
            "-c",
            str(properties),
            "--ignore-formatted",
        ],
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        raise RuntimeError(f"kafka storage format failed:\n{result.stdout}{result.stderr}")


def command(lib: Path, data_dir: Path, properties: Path) -> list[str]:
    """The java argv running the broker in the foreground until SIGTERM."""
    return [
        "java",
        f"-Xmx{HEAP_MB}m",
        f"-Xms{HEAP_MB // 2}m",
        "-XX:+UseG1GC",
        f"-Dlog4j2.configurationFile={HERE / 'log4j2.yaml'}",
        "-cp",
        f"{lib}/*",
        MAIN_CLASS,
        str(properties),
    ]
