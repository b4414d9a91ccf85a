"""infra/docker-compose.yml is a valid compose file with the local stack's ports.

Checked with compose-go, the library `docker compose config` runs (this machine has the docker
client but not its compose plugin): see infra/compose_check.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[2]
CHECKER = REPO / "infra" / "compose_check"

pytestmark = pytest.mark.skipif(shutil.which("go") is None, reason="needs the Go toolchain for compose-go")


def _config(path: Path, profiles: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["go", "run", ".", str(path)],
        cwd=CHECKER,
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, "COMPOSE_PROFILES": profiles},
    )


@pytest.mark.timeout(900)
def test_compose_file_loads_and_publishes_the_stack_ports_on_loopback(tmp_path: Path) -> None:
    result = _config(REPO / "infra" / "docker-compose.yml")
    assert result.returncode == 0, result.stderr
    services = yaml.safe_load(result.stdout)["services"]
    published = {
        name: {(p["host_ip"], p["published"]) for p in svc.get("ports", [])} for name, svc in services.items()
    }
    assert published == {
        "kafka": {("127.0.0.1", "9092")},
        "elasticsearch": {("127.0.0.1", "9200")},
        "prefect": {("127.0.0.1", "4200")},
    }

    broken = tmp_path / "broken.yml"
    broken.write_text("services:\n  kafka:\n    image: apache/kafka:4.1.1\n    ports: [{target: nine}]\n")
    assert _config(broken).returncode != 0


@pytest.mark.timeout(900)
def test_cluster_profile_has_three_replicating_brokers_and_two_es_nodes_on_their_own_ports() -> None:
    result = _config(REPO / "infra" / "docker-compose.yml", profiles="cluster")
    assert result.returncode == 0, result.stderr
    services = yaml.safe_load(result.stdout)["services"]
    brokers = {name: svc for name, svc in services.items() if name.startswith("kafka-")}
    es_nodes = {name: svc for name, svc in services.items() if name.startswith("es-")}
    assert sorted(brokers) == ["kafka-1", "kafka-2", "kafka-3"] and sorted(es_nodes) == ["es-1", "es-2"]
    voters = {svc["environment"]["KAFKA_CONTROLLER_QUORUM_VOTERS"] for svc in brokers.values()}
    assert voters == {"1@kafka-1:9093,2@kafka-2:9093,3@kafka-3:9093"}
    assert {svc["environment"]["KAFKA_NODE_ID"] for svc in brokers.values()} == {"1", "2", "3"}
    assert {svc["environment"]["KAFKA_DEFAULT_REPLICATION_FACTOR"] for svc in brokers.values()} == {"3"}
    assert {svc["environment"]["KAFKA_MIN_INSYNC_REPLICAS"] for svc in brokers.values()} == {"2"}
    assert {svc["environment"]["discovery.seed_hosts"] for svc in es_nodes.values()} == {"es-1,es-2"}
    published = {p["published"] for svc in [*brokers.values(), *es_nodes.values()] for p in svc["ports"]}
    single = {
        p["published"] for name in ("kafka", "elasticsearch", "prefect") for p in services[name]["ports"]
    }
    assert len(published) == 5 and published.isdisjoint(single)
