"""infra/docker-compose.yml is a valid compose file with the local stack's ports.

Checked with compose-go, the library `docker compose config` runs (this machine has the docker
client but not its compose plugin): see infra/compose_check.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[2]
CHECKER = REPO / "infra" / "compose_check"

pytestmark = pytest.mark.skipif(shutil.which("go") is None, reason="needs the Go toolchain for compose-go")


def _config(path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["go", "run", ".", str(path)], cwd=CHECKER, capture_output=True, text=True, timeout=600
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
