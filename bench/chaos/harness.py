"""One chaos case, end to end: a real ingestion + indexing run over the simulated site, a fault, recovery,
and the same measurements for every case.

The run is what a user runs: ``newsflow run SOURCE`` (a Prefect flow run) in a child process, and a
long-running ``newsflow index`` child. After the case's fault, the source is run again (its next scheduled
run: no manual step) until every article of the clean run is searchable or ``MAX_RUNS`` is reached, then the
indexer is given time to catch up. The outcome compares the index with the clean run's, reads both
dead-letter topics, and asks Prefect how each flow run ended.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import psutil
import yaml
from confluent_kafka import Consumer, KafkaException, TopicPartition
from elasticsearch import Elasticsearch

from bench.chaos.site import FaultySite
from bench.chaos.stack import ChaosStack
from bench.names import BenchNames, settings_env
from bench.pipeline import wait_group_ready
from indexing import templates
from ingest.publish.topics import ensure_topics
from schemas.settings import REPO_ROOT, Settings

# Runs of the source per case: the faulty one and up to two more (what the schedule would do next).
MAX_RUNS = 3
# One flow run of ~150 pages takes 1-3 min on the busy 2-core machine (model loading included); past this
# it is stuck (the "Prefect down" hang is ~5 min) and is killed, which the outcome notes.
FLOW_TIMEOUT_S = 600.0
# The index has settled when the indexer group has no lag and the count has not moved for this long.
SETTLE_QUIET_S = 8.0
SETTLE_TIMEOUT_S = 300.0
POLL_S = 0.5
# A freshly started broker answers group requests with NOT_COORDINATOR for a few seconds.
GROUP_READY_ATTEMPTS = 20
# Prefect run states that mean "still going": left like that after a case, a run is stuck.
LIVE_STATES = frozenset({"RUNNING", "PENDING", "SCHEDULED"})
# A killed run is set CRASHED by the server's automation ZOMBIE_AFTER_S after its last heartbeat
# (flows/zombies.py); 60 s more for the trigger's evaluation on a busy machine.
FINAL_STATE_MARGIN_S = 60.0
NEWSFLOW = [sys.executable, "-m", "flows.cli"]


@dataclass
class Outcome:
    """One row of the results table."""

    case: str
    fault: str
    runs: int = 0
    expected: int = 0
    searchable: int = 0
    duplicated: int = 0
    dead_lettered: int = 0  # article pages (of the clean run) with a record on articles.dlq, recovered or not
    index_dead_lettered: int = 0  # records on articles.index-dlq
    lost: int = 0  # article pages neither searchable nor dead-lettered
    recovery_s: float | None = None  # fault injected -> the count's final value
    run_states: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    elapsed_s: float = 0.0
    urls: list[str] = field(default_factory=list, repr=False)  # what ended up searchable

    @property
    def passed(self) -> bool:
        stuck = any(state in LIVE_STATES for state in self.run_states)
        return (
            self.lost == 0
            and self.duplicated == 0
            and self.searchable == self.expected
            and not stuck
            and not any(note.startswith("manual:") for note in self.notes)
        )


@dataclass
class Baseline:
    """What the clean run made searchable: the article URLs every case must end with."""

    urls: set[str]


class CaseContext:
    """A case's own names, data dir and child processes on the chaos stack."""

    def __init__(self, stack: ChaosStack, site: FaultySite, case: str, root: Path, outcome: Outcome) -> None:
        self.stack, self.site, self.outcome = stack, site, outcome
        self.names = BenchNames(run=uuid.uuid4().hex[:6], stage=f"chaos-{case}")
        self.dir = root / "cases" / self.names.prefix
        self.data_dir = self.dir / "data"  # seen-store and validators: what the disk-full case fills
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.settings = self.names.settings(stack.settings, self.data_dir)
        self.source = self.names.prefix
        self.es = Elasticsearch(stack.settings.es_url, request_timeout=30)
        sources = self.dir / "sources.yaml"
        entry = {"name": self.source, "type": "sitemap", "location": f"{site.base_url}/sitemap-news.xml"}
        sources.write_text(yaml.safe_dump({"sources": [entry | {"interval_s": 3600}]}))
        self.env = {k: v for k, v in os.environ.items() if not k.startswith(("NEWSFLOW_", "PREFECT_"))}
        self.env |= settings_env(self.settings, sources) | {"PYTHONPATH": str(REPO_ROOT)}
        self.indexer: subprocess.Popen[bytes] | None = None
        self.fault_at: float | None = None

    # ------------------------------------------------------------------ processes

    def _spawn(self, args: list[str], log_name: str) -> subprocess.Popen[bytes]:
        log = (self.dir / log_name).open("ab")
        return subprocess.Popen(
            [*NEWSFLOW, *args], env=self.env, cwd=REPO_ROOT, stdout=log, stderr=log, start_new_session=True
        )

    def start_indexer(self) -> None:
        self.indexer = self._spawn(["index"], "indexer.log")
        for attempt in range(GROUP_READY_ATTEMPTS):
            try:
                return wait_group_ready(self.settings, 1)
            except KafkaException:  # NOT_COORDINATOR while a fresh broker elects the group coordinator
                time.sleep(POLL_S * (attempt + 1))
        wait_group_ready(self.settings, 1)

    def start_flow(self) -> subprocess.Popen[bytes]:
        self.outcome.runs += 1
        return self._spawn(["run", self.source, "--workers", "1"], f"run-{self.outcome.runs}.log")

    def wait_flow(self, flow: subprocess.Popen[bytes]) -> int:
        try:
            return flow.wait(FLOW_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            self.outcome.notes.append(
                f"manual: run {self.outcome.runs} hung > {FLOW_TIMEOUT_S:.0f} s, killed"
            )
            kill_tree(flow.pid)
            return flow.wait()

    def run_flow(self) -> int:
        return self.wait_flow(self.start_flow())

    def mark_fault(self) -> None:
        self.fault_at = time.monotonic()

    def prepare(self) -> None:
        """Anything the case's runs need besides the indexer (a subclass's workers); nothing here."""

    def close(self) -> None:
        """Stop what :meth:`prepare` started, after the measurements."""

    def flow_runs_filter(self) -> dict:
        """The Prefect ``flow_runs`` filter of this case's runs (all of its sources' runs)."""
        return {"name": {"any_": [f"ingest {self.source}"]}}

    # ------------------------------------------------------------------ what is where

    def on_topic(self) -> int:
        """Messages on the articles topic (sum of high watermarks)."""
        return sum(high for _, high in watermarks(self.settings, self.settings.articles_topic).values())

    def searchable(self) -> int:
        return int(self.es.count(index=self.settings.index_alias)["count"])

    def when(self, condition: Callable[[], bool], what: str, timeout_s: float = FLOW_TIMEOUT_S) -> None:
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if condition():
                return
            time.sleep(POLL_S)
        raise TimeoutError(f"{self.source}: timed out waiting for {what}")

    def indexed_urls(self) -> list[str]:
        hits = self.es.search(index=self.settings.index_alias, size=10_000, source=["url"])["hits"]["hits"]
        return [hit["_source"]["url"] for hit in hits]


def kill_tree(pid: int) -> None:
    """SIGKILL a process group we started (its own session)."""
    try:
        os.killpg(os.getpgid(pid), signal.SIGKILL)
    except ProcessLookupError:
        return


def watermarks(settings: Settings, topic: str) -> dict[int, tuple[int, int]]:
    consumer = Consumer({"bootstrap.servers": settings.kafka_bootstrap, "group.id": "chaos-probe"})
    try:
        metadata = consumer.list_topics(topic, timeout=10).topics[topic]
        return {
            p: consumer.get_watermark_offsets(TopicPartition(topic, p), timeout=10)
            for p in metadata.partitions
        }
    finally:
        consumer.close()


def group_lag(settings: Settings) -> int:
    marks = watermarks(settings, settings.articles_topic)
    consumer = Consumer({"bootstrap.servers": settings.kafka_bootstrap, "group.id": settings.indexer_group})
    try:
        committed = consumer.committed(
            [TopicPartition(settings.articles_topic, p) for p in marks], timeout=10
        )
    finally:
        consumer.close()
    return sum(marks[tp.partition][1] - max(tp.offset, marks[tp.partition][0]) for tp in committed)


def read_topic(settings: Settings, topic: str) -> list[dict]:
    """Every record of a (small) topic, from the beginning, as JSON."""
    marks = watermarks(settings, topic)
    consumer = Consumer(
        {"bootstrap.servers": settings.kafka_bootstrap, "group.id": f"chaos-read-{uuid.uuid4().hex[:6]}"}
    )
    records: list[dict] = []
    try:
        consumer.assign([TopicPartition(topic, p, low) for p, (low, _) in marks.items()])
        remaining = sum(high - low for low, high in marks.values())
        deadline = time.monotonic() + 60
        while remaining > 0 and time.monotonic() < deadline:
            msg = consumer.poll(1.0)
            if msg is None or msg.error() is not None:
                continue
            records.append(json.loads(msg.value()))
            remaining -= 1
    finally:
        consumer.close()
    return records


def settle(ctx: CaseContext) -> float:
    """Wait until the indexer has no lag and the count is quiet; returns when the count last changed."""
    deadline = time.monotonic() + SETTLE_TIMEOUT_S
    last, changed_at = -1, time.monotonic()
    while time.monotonic() < deadline:
        try:
            count, lag = ctx.searchable(), group_lag(ctx.settings)
        except Exception:  # a service may still be coming back: ask again
            time.sleep(POLL_S * 4)
            continue
        if count != last:
            last, changed_at = count, time.monotonic()
        if lag == 0 and time.monotonic() - changed_at >= SETTLE_QUIET_S:
            return changed_at
        time.sleep(POLL_S)
    ctx.outcome.notes.append(f"index did not settle within {SETTLE_TIMEOUT_S:.0f} s")
    return changed_at


def prefect_states(ctx: CaseContext) -> list[str]:
    """How each flow run of the case's source(s) ended, oldest first (from the Prefect API)."""
    body = {"flow_runs": ctx.flow_runs_filter(), "sort": "START_TIME_ASC"}
    try:
        runs = httpx.post(f"{ctx.stack.settings.api_url}/flow_runs/filter", json=body, timeout=10).json()
    except httpx.HTTPError as exc:
        return [f"unknown ({type(exc).__name__})"]
    return [run["state_type"] for run in runs]


def final_states(ctx: CaseContext) -> list[str]:
    """The runs' states once none is live any more (a killed run ends CRASHED only after its heartbeat
    timeout), or as they are after that timeout and ``FINAL_STATE_MARGIN_S``."""
    # imported here: flows.zombies imports prefect, which must not be configured by importing this module
    from flows.zombies import ZOMBIE_AFTER_S

    deadline = time.monotonic() + ZOMBIE_AFTER_S + FINAL_STATE_MARGIN_S
    states = prefect_states(ctx)
    while any(state in LIVE_STATES for state in states) and time.monotonic() < deadline:
        time.sleep(POLL_S * 10)
        states = prefect_states(ctx)
    return states


def measure(ctx: CaseContext, baseline: Baseline | None) -> None:
    """Fill the outcome from the index, the dead-letter topics and Prefect."""
    out = ctx.outcome
    urls = out.urls = ctx.indexed_urls()
    expected = baseline.urls if baseline is not None else set(urls)
    letters = read_topic(ctx.settings, ctx.settings.articles_dlq_topic)
    lettered = {letter.get("url") for letter in letters}
    out.expected, out.searchable = len(expected), len(set(urls) & expected)
    out.duplicated = len(urls) - len(set(urls))
    out.dead_lettered = len(expected & lettered)
    out.lost = len(expected - set(urls) - lettered)
    out.index_dead_lettered = len(read_topic(ctx.settings, ctx.settings.index_dlq_topic))
    extra = set(urls) - expected
    if extra:
        out.notes.append(f"{len(extra)} searchable pages the clean run did not have")
    out.run_states = final_states(ctx)


Script = Callable[[CaseContext], None]


def run_case(
    stack: ChaosStack,
    site: FaultySite,
    root: Path,
    name: str,
    fault: str,
    script: Script,
    baseline: Baseline | None,
    context: type[CaseContext] = CaseContext,
) -> Outcome:
    """Fresh topics, index, group and seen-store; the indexer; the script (run 1 with its fault); further
    runs until the clean run's articles are all searchable; settle; measure; clean up. ``context`` may be
    a subclass that runs the source another way (``bench.chaos_cluster``'s work pool)."""
    outcome = Outcome(name, fault)
    started = time.monotonic()
    ctx = context(stack, site, name, root, outcome)
    ensure_topics(ctx.settings)
    templates.ensure_index(ctx.es, ctx.settings.index_alias)
    try:
        ctx.start_indexer()
        ctx.prepare()
        script(ctx)
        changed_at = settle(ctx)
        while (
            baseline is not None and outcome.runs < MAX_RUNS and not baseline.urls <= set(ctx.indexed_urls())
        ):
            ctx.run_flow()
            changed_at = settle(ctx)
        if ctx.indexer is not None and ctx.indexer.poll() is not None:
            outcome.notes.append(f"manual: the indexer exited ({ctx.indexer.returncode}) and needs a restart")
        measure(ctx, baseline)
        if ctx.fault_at is not None:
            outcome.recovery_s = max(0.0, changed_at - ctx.fault_at)
    finally:
        if ctx.indexer is not None and ctx.indexer.poll() is None:
            ctx.indexer.send_signal(signal.SIGTERM)
            try:
                ctx.indexer.wait(30)
            except subprocess.TimeoutExpired:
                kill_tree(ctx.indexer.pid)
        ctx.close()
        outcome.elapsed_s = time.monotonic() - started
        orphans = _orphans(ctx.data_dir)
        if orphans:
            outcome.notes.append(f"manual: {orphans} processes of a killed run left running (killed now)")
    return outcome


def _orphans(data_dir: Path) -> int:
    """Processes still running with the case's data dir in their environment (a killed run's workers)."""
    found = 0
    for proc in psutil.process_iter(["pid"]):
        try:
            if proc.environ().get("NEWSFLOW_DATA_DIR") == str(data_dir):
                proc.kill()
                found += 1
        except (psutil.Error, OSError):
            continue
    return found
