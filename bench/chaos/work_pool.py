"""A chaos case whose ingestion goes through a Prefect work pool: two workers, two sources, at once.

What a user with two ingest machines runs (docs/cluster.md): the simulated site's news sitemap is split
in two parts (every other page), each a source; ``newsflow deploy SOURCE --pool POOL --queue worker-N
--no-schedule`` puts source N on queue ``worker-N`` of a process work pool, and ``newsflow worker --pool
POOL --queue worker-N`` runs it, with its own data dir as on its own machine. Each source is pinned to
one worker, so each seen-store (a local SQLite file) is only ever used by one machine. A "run" of the
case is one flow run of each deployment, created together through the API (what their schedules would
do) and waited for together; both workers then ingest at the same time (their overlap is noted).
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import time
from datetime import datetime
from typing import Any

import httpx
import psutil
import yaml

from bench.chaos.harness import FLOW_TIMEOUT_S, LIVE_STATES, NEWSFLOW, POLL_S, CaseContext, kill_tree
from bench.chaos.site import part_sitemap_path
from schemas.settings import REPO_ROOT

# One worker per ingest machine; each gets one part of the site (one source).
WORKERS = 2
# Workers ask the server for runs every 2 s (Prefect's default is 10 s): a run starts soon after it is
# created, and both runs of a round start together.
WORKER_QUERY_S = "2"
# Workers start in ~10-30 s on the loaded machine (Prefect import, registration with the server).
WORKER_READY_TIMEOUT_S = 180.0
# A worker given SIGTERM stops in a few seconds; past this it is killed.
WORKER_STOP_S = 30.0
HTTP_TIMEOUT_S = 30.0
# The Prefect server answers 503 when its SQLite database is busy (a loaded machine); its own client retries
# those 5 times with backoff, and so does the bench: 1 + 2 + 4 + 8 + 16 s.
API_ATTEMPTS = 6
API_BACKOFF_S = 1.0


class PoolCaseContext(CaseContext):
    """The case's runs are flow runs of two deployments on a work pool, run by two ``newsflow worker``s."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.pool = f"{self.names.prefix}-pool"
        self.parts = {
            f"{self.source}-part{n}": f"worker-{n}" for n in range(1, WORKERS + 1)
        }  # source -> the queue (worker) it is pinned to
        entries = [
            {
                "name": source,
                "type": "sitemap",
                "location": f"{self.site.base_url}{part_sitemap_path(n, WORKERS)}",
                "interval_s": 3600,
            }
            for n, source in enumerate(self.parts, start=1)
        ]
        (self.dir / "sources.yaml").write_text(yaml.safe_dump({"sources": entries}))
        self.workers: list[subprocess.Popen[bytes]] = []
        self.deployment_ids: dict[str, str] = {}

    # ------------------------------------------------------------------ the pool

    def _api(self, method: str, path: str, **kwargs: Any) -> Any:
        """One Prefect API call, retried while the server is busy (503) or briefly unreachable."""
        for attempt in range(API_ATTEMPTS):
            try:
                response = httpx.request(
                    method, f"{self.stack.settings.api_url}{path}", timeout=HTTP_TIMEOUT_S, **kwargs
                )
                if response.status_code != httpx.codes.SERVICE_UNAVAILABLE or attempt == API_ATTEMPTS - 1:
                    response.raise_for_status()
                    return response.json() if response.content else None
            except httpx.TransportError:
                if attempt == API_ATTEMPTS - 1:
                    raise
            time.sleep(API_BACKOFF_S * 2**attempt)
        raise AssertionError("unreachable")

    def worker_dir(self, queue: str) -> str:
        return str(self.dir / queue)

    def prepare(self) -> None:
        """Deploy each source to its queue with the CLI, start one worker per queue."""
        with (self.dir / "deploy.log").open("ab") as log:
            for source, queue in self.parts.items():
                subprocess.run(
                    [*NEWSFLOW, "deploy", source, "--pool", self.pool, "--queue", queue, "--no-schedule"],
                    env=self.env,
                    cwd=REPO_ROOT,
                    stdout=log,
                    stderr=log,
                    check=True,
                )
                self.deployment_ids[source] = self._api("GET", f"/deployments/name/ingest-source/{source}")[
                    "id"
                ]
        self.workers = [self._start_worker(queue) for queue in self.parts.values()]
        self._wait_workers_online()

    def _start_worker(self, queue: str) -> subprocess.Popen[bytes]:
        os.makedirs(self.worker_dir(queue), exist_ok=True)
        env = self.env | {
            "NEWSFLOW_DATA_DIR": self.worker_dir(queue),  # its seen-store, as on its own machine
            "PREFECT_WORKER_QUERY_SECONDS": WORKER_QUERY_S,
        }
        with (self.dir / f"{queue}.log").open("ab") as log:
            return subprocess.Popen(
                [*NEWSFLOW, "worker", "--pool", self.pool, "--queue", queue],
                env=env,
                cwd=REPO_ROOT,
                stdout=log,
                stderr=log,
                start_new_session=True,
            )

    def kill_worker_machine(self, n: int) -> int:
        """kill -9 every process of worker ``n``'s "machine" (the worker, its flow run and the run's build
        workers: all that has its data dir); how many there were."""
        found = _kill_with_data_dir({self.worker_dir(f"worker-{n}")})
        self.workers[n - 1].wait()
        return found

    def restart_worker(self, n: int) -> None:
        """The machine is back: its worker starts again on the same queue, with the same data dir."""
        self.workers[n - 1] = self._start_worker(f"worker-{n}")

    def _wait_workers_online(self) -> None:
        """Until the pool lists every worker ONLINE (each has polled its queue): runs created then start."""
        deadline = time.monotonic() + WORKER_READY_TIMEOUT_S
        while time.monotonic() < deadline:
            for n, worker in enumerate(self.workers, start=1):
                if worker.poll() is not None:
                    log = (self.dir / f"worker-{n}.log").read_text(errors="replace")[-2000:]
                    raise RuntimeError(f"worker-{n} exited ({worker.returncode}):\n{log}")
            online = self._api("POST", f"/work_pools/{self.pool}/workers/filter", json={})
            if sum(1 for worker in online if worker.get("status") == "ONLINE") >= len(self.workers):
                return
            time.sleep(POLL_S * 2)
        raise TimeoutError(f"{self.pool}: the workers were not online within {WORKER_READY_TIMEOUT_S:.0f} s")

    def close(self) -> None:
        """Stop the workers, count what they left running, delete the deployments and the pool."""
        for worker in self.workers:
            if worker.poll() is None:
                os.killpg(worker.pid, signal.SIGTERM)
        for worker in self.workers:
            try:
                worker.wait(WORKER_STOP_S)
            except subprocess.TimeoutExpired:
                kill_tree(worker.pid)
                worker.wait()
        left = self._kill_left_behind()
        if left:
            self.outcome.notes.append(
                f"manual: {left} processes of the workers' runs left running (killed now)"
            )
        for deployment_id in self.deployment_ids.values():
            try:
                self._api("DELETE", f"/deployments/{deployment_id}")
            except httpx.HTTPError:
                continue
        with contextlib.suppress(httpx.HTTPError):
            self._api("DELETE", f"/work_pools/{self.pool}")

    def _kill_left_behind(self) -> int:
        return _kill_with_data_dir({self.worker_dir(queue) for queue in self.parts.values()})

    def flow_runs_filter(self) -> dict:
        return {"deployment_id": {"any_": list(self.deployment_ids.values())}}

    # ------------------------------------------------------------------ runs

    def start_flow(self) -> list[str]:  # type: ignore[override]
        """One flow run of each source's deployment (a round); their ids."""
        self.outcome.runs += 1
        dead = [n for n, worker in enumerate(self.workers, start=1) if worker.poll() is not None]
        if dead:
            self.outcome.notes.append(f"manual: worker(s) {dead} exited and need a restart")
        return [
            self._api(
                "POST",
                f"/deployments/{deployment_id}/create_flow_run",
                # the key makes a retried request return the run the first one created
                json={
                    "parameters": {"source_name": source, "workers": 1},
                    "idempotency_key": f"{source}-round-{self.outcome.runs}",
                },
            )["id"]
            for source, deployment_id in self.deployment_ids.items()
        ]

    def wait_flow(self, flow: list[str]) -> int:  # type: ignore[override]
        """Wait for the round's runs to end; 0 when all COMPLETED. Notes which queue ran what, and for how
        long both ran at once."""
        deadline = time.monotonic() + FLOW_TIMEOUT_S
        runs: list[dict] = []
        while time.monotonic() < deadline:
            try:
                runs = [self._api("GET", f"/flow_runs/{run_id}") for run_id in flow]
            except httpx.HTTPError:  # the server may be what the case killed: ask again
                time.sleep(POLL_S * 4)
                continue
            if not any(run["state_type"] in LIVE_STATES for run in runs):
                break
            time.sleep(POLL_S * 2)
        else:
            self.outcome.notes.append(f"manual: round {self.outcome.runs} hung > {FLOW_TIMEOUT_S:.0f} s")
        self.outcome.notes.append(f"round {self.outcome.runs}: {_describe(runs)}")
        return 0 if runs and all(run["state_type"] == "COMPLETED" for run in runs) else 1


def _kill_with_data_dir(dirs: set[str]) -> int:
    """SIGKILL every process whose NEWSFLOW_DATA_DIR is one of ``dirs``; how many."""
    procs = []
    for proc in psutil.process_iter(["pid"]):
        try:
            if proc.environ().get("NEWSFLOW_DATA_DIR") in dirs:
                proc.kill()
                procs.append(proc)
        except (psutil.Error, OSError):
            continue
    psutil.wait_procs(procs, timeout=WORKER_STOP_S)
    return len(procs)


def _time(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def _describe(runs: list[dict]) -> str:
    """``worker-1 completed 95 s, worker-2 completed 101 s, both at once 93 s``."""
    parts = [
        f"{run['work_queue_name']} {run['state_type'].lower()} {run['total_run_time']:.0f} s" for run in runs
    ]
    spans = [(_time(run["start_time"]), _time(run["end_time"])) for run in runs]
    if len(spans) > 1 and all(start and end for start, end in spans):
        overlap = (min(end for _, end in spans) - max(start for start, _ in spans)).total_seconds()
        parts.append(f"both at once {max(0.0, overlap):.0f} s")
    return ", ".join(parts)
