"""Flow runs whose process died (kill -9, OOM, a native abort) end CRASHED instead of RUNNING forever.

Each flow process sends a heartbeat event every ``HEARTBEAT_S`` (Prefect's
``PREFECT_FLOWS_HEARTBEAT_FREQUENCY``, set by ``flows.prefect_env``). One automation on the server,
made once by whichever newsflow command talks to it first, waits for the next heartbeat or a final
state after each heartbeat; when neither comes within ``ZOMBIE_AFTER_S`` it sets the run CRASHED.
"""

from __future__ import annotations

from datetime import timedelta

from prefect.automations import Automation, ChangeFlowRunState, EventTrigger, Posture
from prefect.client.orchestration import get_client
from prefect.client.schemas.objects import StateType

from flows.prefect_env import HEARTBEAT_S

# Three missed heartbeats: a busy machine may delay one, never three; a dead run shows CRASHED
# about two minutes after its last heartbeat (plus the server's trigger evaluation, seconds).
ZOMBIE_AFTER_S = 3 * HEARTBEAT_S
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
