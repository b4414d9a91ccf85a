"""A run process holding a started build pool, to be killed (-9) by
``test_workers_fork_server_and_tracker_die_with_a_killed_run``: prints the pids of its fork server,
workers and resource tracker as JSON once every worker answered, then blocks."""

from __future__ import annotations

import json
import multiprocessing.forkserver
import multiprocessing.resource_tracker
import os
import threading

from ingest.pool import BuildPool

WORKERS = 2

if __name__ == "__main__":
    pool = BuildPool(WORKERS)
    executor = pool._executor
    assert executor is not None
    answered = {future.result() for future in [executor.submit(os.getpid) for _ in range(4 * WORKERS)]}
    pids = {
        "fork_server": multiprocessing.forkserver._forkserver._forkserver_pid,
        "workers": sorted(executor._processes),
        "resource_tracker": multiprocessing.resource_tracker._resource_tracker._pid,
        "answered": sorted(answered),
    }
    print(json.dumps(pids), flush=True)
    threading.Event().wait()
