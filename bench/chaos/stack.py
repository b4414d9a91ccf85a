"""The stack a chaos case runs on: a throwaway one, never the shared stack.

The harness needs little from a stack: its settings (where the services are), bring it up and down, and
kill -9 / start again one service or node by name. ``ChaosStack`` is that interface; ``LocalChaosStack``
is the single-node stack of ``infra/stack.py`` on its own ports and data dir. A multi-node stack (several
brokers, several ES nodes) plugs in by implementing the same five members with node names such as
``kafka-2`` or ``elasticsearch-1``.
"""

from __future__ import annotations

import os
import signal
from pathlib import Path
from typing import Protocol

import psutil

from infra import stack as local_stack
from schemas.settings import REPO_ROOT, Settings

# issue-13a's port range (19xxx): Kafka 19092 (+1 controller), Elasticsearch 19200 (+100 transport),
# Prefect 19420, the simulated site 19765. Nothing else on the machine uses them.
KAFKA_PORT = 19092
ES_PORT = 19200
PREFECT_PORT = 19420
SITE_PORT = 19765
# The chaos stack's data, logs and PID files: beside the local stack's, git-ignored like it.
DEFAULT_ROOT = REPO_ROOT / ".newsflow" / "chaos"


class ChaosStack(Protocol):
    """What a chaos case needs from the stack it breaks."""

    settings: Settings

    def up(self) -> None: ...

    def down(self) -> None: ...

    def nodes(self, service: str) -> list[str]:
        """The killable nodes of a service (``kafka``, ``elasticsearch``, ``prefect``)."""
        ...

    def kill(self, node: str) -> None:
        """kill -9 the node's process group: no shutdown hook, no flush."""
        ...

    def start(self, node: str) -> None:
        """Start the node again and wait until it answers."""
        ...


def chaos_settings(root: Path = DEFAULT_ROOT) -> Settings:
    """Settings of the throwaway single-node stack under ``root`` (the jar cache is shared, read-only)."""
    base = Settings()
    return base.model_copy(
        update={
            "data_dir": root / "data",
            "kafka_bootstrap": f"127.0.0.1:{KAFKA_PORT}",
            "es_url": f"http://127.0.0.1:{ES_PORT}",
            "prefect_url": f"http://127.0.0.1:{PREFECT_PORT}",
        }
    )


def kill_node(node: str, pid: int | None) -> None:
    """kill -9 of a node's process group (the JVM and its children), returned once they are gone."""
    if pid is None:
        raise RuntimeError(f"{node} is not running, nothing to kill")
    procs = [psutil.Process(pid), *psutil.Process(pid).children(recursive=True)]
    os.killpg(os.getpgid(pid), signal.SIGKILL)
    psutil.wait_procs(procs, timeout=30)


class LocalChaosStack:
    """``infra/stack.py``'s Kafka, Elasticsearch and Prefect, one node each, on the chaos ports."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.started_here = False

    def up(self) -> None:
        self.started_here = local_stack.ensure_up(self.settings)

    def down(self) -> None:
        local_stack.down(self.settings, log=lambda _m: None)

    def nodes(self, service: str) -> list[str]:
        return [service]

    def _service(self, node: str) -> local_stack.Service:
        for service in local_stack.services(self.settings):
            if service.name == node:
                return service
        raise ValueError(f"no service {node!r} in the chaos stack")

    def kill(self, node: str) -> None:
        kill_node(node, self._service(node).process.running_pid())

    def start(self, node: str) -> None:
        self._service(node)  # the name is checked; `up` starts whatever is not running, then waits
        local_stack.up(self.settings, log=lambda _m: None)
