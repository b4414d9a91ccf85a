"""Flow runs whose process died (kill -9, OOM, a native abort) end CRASHED instead of RUNNING forever.

Each flow process sends a heartbeat event every ``HEARTBEAT_S`` (Prefect's
``PREFECT_FLOWS_HEARTBEAT_FREQUENCY``, set by ``flows.prefect_env``). One automation on the server,
made once by whichever newsflow command talks to it first, waits for the next heartbeat or a final
state after each heartbeat; when neither comes within ``ZOMBIE_AFTER_S`` it sets the run CRASHED.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from prefect.automations import Automation, ChangeFlowRunState, EventTrigger, Posture
from prefect.client.orchestration import get_client
from prefect.client.schemas.objects import StateType

from flows.prefect_env import HEARTBEAT_S
from flows.prefect_http import prefect_request

# Three missed heartbeats: a busy machine may delay one, never three; a dead run shows CRASHED
# about two minutes after its last heartbeat (plus the server's trigger evaluation, seconds).
ZOMBIE_AFTER_S = 3 * HEARTBEAT_S
# One REST call of the sweep: a healthy local server answers in milliseconds.
API_TIMEOUT_S = 10.0
# The tag of runs started by newsflow commands, which always send heartbeats.
HEARTBEAT_TAG = "newsflow-heartbeat"
AUTOMATION_NAME = "newsflow: crash flow runs without heartbeats"
FINAL_EVENTS = {
    "prefect.flow-run.heartbeat",
    "prefect.flow-run.Completed",
    "prefect.flow-run.Failed",
    "prefect.flow-run.Cancelled",
    "prefect.flow-run.Crashed",
}


def zombie_automation() -> Automation:
    return Automation(
        name=AUTOMATION_NAME,
        description="A flow run that stopped sending heartbeats without a final state died: CRASHED.",
        trigger=EventTrigger(
            match={"prefect.resource.id": "prefect.flow-run.*"},
            after={"prefect.flow-run.heartbeat"},
            expect=FINAL_EVENTS,
            for_each={"prefect.resource.id"},
            posture=Posture.Proactive,
            threshold=1,
            within=timedelta(seconds=ZOMBIE_AFTER_S),
        ),
        actions=[
            ChangeFlowRunState(
                state=StateType.CRASHED,
                message=f"No heartbeat for {ZOMBIE_AFTER_S} s: the flow process died (killed or crashed).",
            )
        ],
    )


def ensure_zombie_automation() -> None:
    """Create the automation unless the server has it (idempotent; one API call when it does)."""
    with get_client(sync_client=True) as client:
        if client.read_automations_by_name(AUTOMATION_NAME):
            return
    zombie_automation().create()


def crash_silent_runs(api_url: str) -> list[str]:
    """Set CRASHED every RUNNING flow run whose heartbeats stopped more than ``ZOMBIE_AFTER_S`` ago.

    The automation misses a run that died while the server itself was down (it saw no deadline
    pass); newsflow commands call this when they start, so such a run is CRASHED once the server is
    back. Only runs tagged ``HEARTBEAT_TAG`` are looked at: those are sure to send heartbeats.
    Returns the ids of the runs crashed."""
    now = datetime.now(UTC)
    running = _post(
        api_url,
        "/flow_runs/filter",
        {"flow_runs": {"state": {"type": {"any_": ["RUNNING"]}}, "tags": {"all_": [HEARTBEAT_TAG]}}},
    )
    crashed = []
    for run in running:
        heartbeats = _post(
            api_url,
            "/events/filter",
            {
                "filter": {
                    "occurred": {"since": run["start_time"] or run["created"]},
                    "event": {"name": ["prefect.flow-run.heartbeat"]},
                    "resource": {"id": [f"prefect.flow-run.{run['id']}"]},
                },
                "limit": 1,
            },
        )["events"]
        # No heartbeat at all: the run died (or the server went away) before the first one arrived.
        last = datetime.fromisoformat(heartbeats[0]["occurred"] if heartbeats else run["start_time"])
        if (now - last).total_seconds() > ZOMBIE_AFTER_S:
            state = {"type": "CRASHED", "message": f"No heartbeat since {last:%Y-%m-%d %H:%M:%S} UTC: died."}
            _post(api_url, f"/flow_runs/{run['id']}/set_state", {"state": state})
            crashed.append(run["id"])
    return crashed


def _post(api_url: str, path: str, body: dict[str, Any]) -> Any:
    return prefect_request("POST", f"{api_url}{path}", json=body, timeout=API_TIMEOUT_S).json()
