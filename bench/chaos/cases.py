"""The faults: each script runs the source once with its fault and restarts what it killed, nothing else.

The harness then runs the source again as its schedule would (up to ``MAX_RUNS``) and measures. Fixed waits
here are the faults' own durations (how long a service stays down), not waits for a condition.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass

from bench.chaos.harness import CaseContext, Script
from bench.chaos.site import FaultWindow

# Mid-run faults strike once this fraction of the served pages is on the topic (or searchable): the run is
# well under way, with as much still to come.
STRIKE_FRACTION = 0.3
# Longer than the producer's 60 s final flush (ingest/publish/producer.py FLUSH_TIMEOUT_S): the outage the
# issue found losing articles; ~40 s outages were already survived.
KAFKA_DOWN_S = 75.0
# Long enough for the indexer to fail several bulk attempts and back off; ES then takes ~60 s to start.
ES_DOWN_S = 15.0
# Prefect killed mid-run stays away this long (the flow keeps going without its API).
PREFECT_DOWN_S = 20.0
# Article requests from a fifth of the pages on, as many as 40 % of the pages, fail (5xx, cut bodies, stalls
# past the read timeout), each retried by the fetcher with backoff: requests 20..59 of a 100-page run.
SITE_FAULT_START_FRACTION = 0.2
SITE_FAULT_FRACTION = 0.4
# Free space left on the seen-store's file system: a few hundred confirmations, less than one run needs.
DISK_FREE_BYTES = 96 * 1024
DISK_SIZE_BYTES = 4 * 1024 * 1024


@dataclass(frozen=True)
class Case:
    name: str
    fault: str
    script: Script
    fast: bool = False  # no service killed, one faulty run: cheap enough for the test suite


def _strike(ctx: CaseContext, measure: Callable[[], int], what: str) -> None:
    target = max(1, int(STRIKE_FRACTION * len(ctx.site.pages)))
    ctx.when(lambda: measure() >= target, f"{target} {what}")


def clean(ctx: CaseContext) -> None:
    ctx.run_flow()


def site_faults(ctx: CaseContext) -> None:
    pages = len(ctx.site.pages)
    window = FaultWindow(first=int(SITE_FAULT_START_FRACTION * pages), count=int(SITE_FAULT_FRACTION * pages))
    ctx.site.fail_window(window)
    ctx.mark_fault()
    try:
        ctx.run_flow()
    finally:
        served = dict(ctx.site.faults_served)
        ctx.site.fail_window(None)
    ctx.outcome.notes.append("served " + ", ".join(f"{n} {fault}" for fault, n in sorted(served.items())))


def clock_skew(ctx: CaseContext) -> None:
    skewed = ctx.site.skew_dates(True)
    ctx.mark_fault()
    try:
        ctx.run_flow()
        ctx.outcome.notes.append(f"{skewed} pages dated +400 d, 1970-01-01 or +3 min")
    finally:
        ctx.site.skew_dates(False)


def kafka_kill(ctx: CaseContext) -> None:
    flow = ctx.start_flow()
    _strike(ctx, ctx.on_topic, "articles on the topic")
    ctx.stack.kill(ctx.stack.nodes("kafka")[0])
    ctx.mark_fault()
    time.sleep(KAFKA_DOWN_S)
    ctx.stack.start(ctx.stack.nodes("kafka")[0])
    ctx.outcome.notes.append(f"run 1 exit {ctx.wait_flow(flow)}")


def es_kill(ctx: CaseContext) -> None:
    flow = ctx.start_flow()
    _strike(ctx, ctx.searchable, "articles searchable")
    ctx.stack.kill(ctx.stack.nodes("elasticsearch")[0])
    ctx.mark_fault()
    time.sleep(ES_DOWN_S)
    ctx.stack.start(ctx.stack.nodes("elasticsearch")[0])
    ctx.outcome.notes.append(f"run 1 exit {ctx.wait_flow(flow)}")


def flow_kill(ctx: CaseContext) -> None:
    flow = ctx.start_flow()
    _strike(ctx, ctx.on_topic, "articles on the topic")
    os.kill(flow.pid, signal.SIGKILL)  # the `newsflow run` process only, as a user's kill -9 would
    ctx.mark_fault()
    flow.wait()


def prefect_down_before(ctx: CaseContext) -> None:
    ctx.stack.kill("prefect")
    ctx.mark_fault()
    try:
        code = ctx.run_flow()
        lines = len((ctx.dir / f"run-{ctx.outcome.runs}.log").read_text(errors="replace").splitlines())
        ctx.outcome.notes.append(f"run 1 with Prefect down: exit {code}, {lines} lines of output")
    finally:
        ctx.stack.start("prefect")


def prefect_down_during(ctx: CaseContext) -> None:
    flow = ctx.start_flow()
    _strike(ctx, ctx.on_topic, "articles on the topic")
    ctx.stack.kill("prefect")
    ctx.mark_fault()
    time.sleep(PREFECT_DOWN_S)
    ctx.stack.start("prefect")
    code = ctx.wait_flow(flow)
    lines = len((ctx.dir / "run-1.log").read_text(errors="replace").splitlines())
    ctx.outcome.notes.append(f"run 1 exit {code}, {lines} lines of output")


def disk_full(ctx: CaseContext) -> None:
    """The seen-store's file system (a small tmpfs) has DISK_FREE_BYTES left; run 1 fills it, then space is
    freed (the operator's fix) and the schedule runs again."""
    mount = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={DISK_SIZE_BYTES}", "tmpfs", str(ctx.data_dir)],
        capture_output=True,
        text=True,
    )
    if mount.returncode != 0:
        ctx.outcome.notes.append(f"manual: not run, mounting a tmpfs needs root ({mount.stderr.strip()})")
        return
    filler = ctx.data_dir / "filler"
    try:
        with filler.open("wb") as out, contextlib.suppress(OSError):
            out.write(b"\0" * (DISK_SIZE_BYTES - DISK_FREE_BYTES))
        ctx.mark_fault()
        ctx.outcome.notes.append(f"run 1 exit {ctx.run_flow()} with {DISK_FREE_BYTES // 1024} KB free")
        filler.unlink()
        ctx.run_flow()
    finally:
        filler.unlink(missing_ok=True)
        subprocess.run(["umount", "-l", str(ctx.data_dir)], check=False)


CASES = (
    Case("clean", "none (the baseline)", clean, fast=True),
    Case("site-faults", "site: 5xx, cut bodies, stalls for 40 % of the requests", site_faults, fast=True),
    Case("clock-skew", "page dates +400 d / 1970 / +3 min", clock_skew),
    Case("kafka-kill", f"kill -9 Kafka at 30 %, down {KAFKA_DOWN_S:.0f} s", kafka_kill),
    Case("es-kill", f"kill -9 Elasticsearch at 30 %, down {ES_DOWN_S:.0f} s + start", es_kill),
    Case("flow-kill", "kill -9 `newsflow run` at 30 %", flow_kill),
    Case("prefect-before", "Prefect down before the run", prefect_down_before),
    Case("prefect-during", f"kill -9 Prefect at 30 %, down {PREFECT_DOWN_S:.0f} s", prefect_down_during),
    Case("disk-full", f"seen-store disk with {DISK_FREE_BYTES // 1024} KB free", disk_full),
)
