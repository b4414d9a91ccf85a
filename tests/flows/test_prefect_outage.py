"""``newsflow run`` when Prefect is not there, and when the run's own process dies."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from flows.sim_site import SimSite
from flows.zombies import HEARTBEAT_TAG, ZOMBIE_AFTER_S, crash_silent_runs
from schemas.settings import Settings
from tests.flows.conftest import api, write_sources
from tests.indexing.helpers import wait_for
from tests.ingest.kafka_topic import read_topic

pytestmark = pytest.mark.stack

REPO_ROOT = Path(__file__).resolve().parents[2]
# A closed port on this machine: nothing listens on tcpmux.
CLOSED_PREFECT = "http://127.0.0.1:1"
# A short run's whole output: the hint, the report table; far below the hundreds of lines of a traceback.
MAX_OUTPUT_LINES = 80
# After the last heartbeat: the automation's window, one heartbeat interval and the server's evaluation.
CRASHED_WITHIN_S = ZOMBIE_AFTER_S + 120


def _env(settings: Settings) -> dict[str, str]:
    """The child's environment: these settings as NEWSFLOW_* variables, Prefect pointed by them only."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NEWSFLOW_", "PREFECT_API_URL"))}
    for name, value in settings.model_dump(mode="json").items():
        env[f"NEWSFLOW_{name.upper()}"] = value if isinstance(value, str) else json.dumps(value)
    return env | {"PYTHONPATH": str(REPO_ROOT)}


def _newsflow_run(source: str) -> list[str]:
    return [sys.executable, "-m", "flows.cli", "run", source, "--workers", "1"]


def test_prefect_down_before_a_run_ingests_anyway_with_a_one_line_hint(
    sim_site: SimSite, flow_settings: Settings
) -> None:
    settings = flow_settings.model_copy(update={"prefect_url": CLOSED_PREFECT})
    write_sources(
        settings,
        {
            "name": "sim-tag",
            "type": "rss",
            "interval_s": 600,
            "location": f"{sim_site.base_url}/tagblatt/rss.xml",
        },
    )

    env = _env(settings)
    child = subprocess.run(_newsflow_run("sim-tag"), cwd=REPO_ROOT, env=env, capture_output=True, text=True)

    output = child.stdout + child.stderr
    assert child.returncode == 0, output[-3000:]
    assert f"Prefect is unreachable at {CLOSED_PREFECT}" in output and "newsflow stack up" in output
    assert "Traceback" not in output and len(output.splitlines()) < MAX_OUTPUT_LINES, output
    assert len(read_topic(settings.kafka_bootstrap, settings.articles_topic)) > 0  # the data flowed


def _heartbeats(settings: Settings, run_id: str) -> int:
    """How many heartbeat events of the flow run the server has received."""
    query = {
        "filter": {
            "occurred": {"since": "2000-01-01T00:00:00Z"},
            "event": {"name": ["prefect.flow-run.heartbeat"]},
            "resource": {"id": [f"prefect.flow-run.{run_id}"]},
        }
    }
    return int(api(settings, "POST", "/events/filter", json=query)["total"])


def test_a_killed_run_ends_crashed(sim_site: SimSite, flow_settings: Settings) -> None:
    write_sources(
        flow_settings,
        {"name": "sim-bad", "type": "rss", "interval_s": 600, "location": f"{sim_site.base_url}/bad/rss.xml"},
    )
    child = subprocess.Popen(
        _newsflow_run("sim-bad"),
        cwd=REPO_ROOT,
        env=_env(flow_settings),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    assert child.stdout is not None
    run_id = None
    for line in child.stdout:
        found = re.search(r"/runs/flow-run/([0-9a-f-]{36})", line)
        if found:
            run_id = found.group(1)
            break
    assert run_id is not None
    wait_for(lambda: _heartbeats(flow_settings, run_id), what="the run's first heartbeat at the server")
    child.kill()
    child.wait(timeout=30)

    def crashed() -> dict[str, object] | None:
        state = api(flow_settings, "GET", f"/flow_runs/{run_id}")["state"]
        return state if state["type"] == "CRASHED" else None

    state = wait_for(crashed, timeout_s=CRASHED_WITHIN_S, what="the killed run to be marked CRASHED")
    assert "heartbeat" in str(state["message"])


def test_a_run_that_died_while_the_server_was_down_is_crashed_by_the_next_command(
    flow_settings: Settings, run_id: str
) -> None:
    flow = api(flow_settings, "POST", "/flows/", json={"name": f"zombie-{run_id}"})
    body = {
        "flow_id": flow["id"],
        "name": f"zombie-{run_id}",
        "tags": [HEARTBEAT_TAG],
        "state": {"type": "RUNNING"},
    }
    silent = api(flow_settings, "POST", "/flow_runs/", json=body)  # no heartbeat will ever come

    wait_for(
        lambda: silent["id"] in crash_silent_runs(flow_settings.api_url),
        timeout_s=CRASHED_WITHIN_S,
        what="the sweep to crash the silent run",
    )
    assert api(flow_settings, "GET", f"/flow_runs/{silent['id']}")["state"]["type"] == "CRASHED"
