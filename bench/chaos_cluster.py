"""The chaos suite's cluster cases: one broker of 3, or one Elasticsearch node of 2, killed mid-run.

    .venv/bin/python -m bench.chaos_cluster [--limit 150] [--cases cluster-kafka-node,...] [--ingest pool|run]
        [--keep-stack]

The cluster is ``newsflow stack up --kafka-brokers 3 --es-nodes 2`` on its own ports (Kafka 39092-39094,
Elasticsearch 39200-39201, Prefect 39420, the simulated site 39765) and data dir; topics get replication
factor 3 and min.insync.replicas 2, the index one replica. Each case runs like ``bench.chaos``'s (its
harness, site and measurements) with two indexer members in one group and, by default, its ingestion
through a Prefect process work pool: two ``newsflow worker``s, each pinned to one half of the site
(``bench/chaos/work_pool.py``; ``--ingest run`` uses one ``newsflow run`` process instead). The killed
node stays down until the run has ended: ingestion and indexing must go on without it. A search probe runs
the product's shape (b) query (full text + every facet) throughout the fault; its p95 and failures are
reported.

The integrator hooks it into ``bench.chaos`` with :class:`ClusterChaosStack` (a ``ChaosStack``) and
:data:`CLUSTER_CASES`, or runs this module on its own; results go to ``bench/results/chaos_cluster.json``
and the "Cluster" section of docs/reliability.md.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import statistics
import subprocess
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from confluent_kafka.admin import AdminClient
from elasticsearch import Elasticsearch

from bench.chaos.cases import CASES, STRIKE_FRACTION, Case
from bench.chaos.harness import NEWSFLOW, Baseline, CaseContext, Outcome, kill_tree, run_case
from bench.chaos.report import HEADER
from bench.chaos.report import _row as table_row
from bench.chaos.site import FaultySite
from bench.chaos.stack import kill_node
from bench.chaos.work_pool import WORKERS, PoolCaseContext
from flows.sim_site import load_pages
from indexing.search import SearchRequest, search
from infra import stack as local_stack
from infra.cluster import ClusterShape
from schemas.settings import REPO_ROOT, Settings

# issue-13b's port range (39xxx): brokers 39092-39094 (controllers 39095-39097), Elasticsearch HTTP
# 39200-39201 (transport 39300-39301), Prefect 39420, the simulated site 39765.
KAFKA_PORT = 39092
ES_PORT = 39200
PREFECT_PORT = 39420
SITE_PORT = 39765
SHAPE = ClusterShape(kafka_brokers=3, es_nodes=2)
DEFAULT_ROOT = REPO_ROOT / ".newsflow" / "chaos-cluster"
DEFAULT_PAGES = 150
# Two members of one indexer group: the partitions are shared, and a member whose broker or shard goes
# away must not stall the other.
INDEXER_MEMBERS = 2
# How a case ingests: "pool" (two workers of a Prefect work pool, one half of the site each) or "run" (one
# `newsflow run` process for the whole site, as bench.chaos).
INGEST_CONTEXTS: dict[str, type[CaseContext]] = {"pool": PoolCaseContext, "run": CaseContext}
# The probe asks every 250 ms (4 searches/s: a few users), enough samples for a p95 over a fault of a
# minute or two without taking much CPU from the run it observes.
PROBE_INTERVAL_S = 0.25
PROBE_WORDS = ("police", "government", "election", "market", "climate")
RESULTS_FILE = Path(__file__).resolve().parent / "results" / "chaos_cluster.json"
DOC = REPO_ROOT / "docs" / "reliability.md"
BEGIN = "<!-- chaos-cluster:begin (written by python -m bench.chaos_cluster) -->"
END = "<!-- chaos-cluster:end -->"


def cluster_settings(root: Path = DEFAULT_ROOT) -> Settings:
    """Settings of the throwaway cluster under ``root`` (the jar cache is shared, read-only)."""
    brokers = ",".join(f"127.0.0.1:{KAFKA_PORT + i}" for i in range(SHAPE.kafka_brokers))
    return Settings().model_copy(
        update={
            "data_dir": root / "data",
            "kafka_bootstrap": brokers,
            "es_url": f"http://127.0.0.1:{ES_PORT}",
            "prefect_url": f"http://127.0.0.1:{PREFECT_PORT}",
        }
    )


class ClusterChaosStack:
    """``infra/stack.py`` in cluster mode, behind ``bench.chaos.stack.ChaosStack``: nodes ``kafka-1``...,
    ``elasticsearch-1``..., ``prefect``."""

    def __init__(self, settings: Settings, shape: ClusterShape = SHAPE) -> None:
        self.settings, self.shape = settings, shape
        self.started_here = False

    def up(self) -> None:
        stack = local_stack.up(self.settings, log=lambda _m: None, shape=self.shape)
        self.started_here = any("already_running" not in svc.info for svc in stack)

    def down(self) -> None:
        local_stack.down(self.settings, log=lambda _m: None)

    def nodes(self, service: str) -> list[str]:
        return [svc.name for svc in local_stack.services(self.settings) if svc.name.startswith(service)]

    def kill(self, node: str) -> None:
        service = next(svc for svc in local_stack.services(self.settings) if svc.name == node)
        kill_node(node, service.process.running_pid())

    def start(self, node: str) -> None:
        if node not in self.nodes(node.split("-")[0]):
            raise ValueError(f"no node {node!r} in the cluster")
        local_stack.up(self.settings, log=lambda _m: None)  # the recorded shape; starts what is down


@dataclass
class SearchProbe:
    """Shape (b) searches in a thread until stopped: wall times of answered ones, failures counted."""

    es: Elasticsearch
    alias: str
    walls_ms: list[float] = field(default_factory=list)
    failures: int = 0
    _stop: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None

    def start(self) -> SearchProbe:
        self._thread = threading.Thread(target=self._run, name="search-probe", daemon=True)
        self._thread.start()
        return self

    def _run(self) -> None:
        i = 0
        while not self._stop.wait(PROBE_INTERVAL_S):
            request = SearchRequest(query=PROBE_WORDS[i % len(PROBE_WORDS)], facets=True)
            i += 1
            started = time.perf_counter()
            try:
                search(self.es, self.alias, request)
            except Exception:  # any refusal or timeout is what the probe measures
                self.failures += 1
                continue
            self.walls_ms.append((time.perf_counter() - started) * 1000)

    def stop(self) -> str:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(30)
        if len(self.walls_ms) < 2:
            return f"search during fault: {len(self.walls_ms)} answered, {self.failures} failed"
        p50, p95 = statistics.median(self.walls_ms), statistics.quantiles(self.walls_ms, n=100)[94]
        return (
            f"search during fault: {len(self.walls_ms)} answered, {self.failures} failed, "
            f"p50 {p50:.0f} ms, p95 {p95:.0f} ms"
        )


_extra_indexers: list[subprocess.Popen[bytes]] = []


def _more_indexers(ctx: CaseContext) -> None:
    """Members 2..INDEXER_MEMBERS of the case's indexer group (the harness started the first), each with
    its own data dir as on another machine (else the harness takes them for a killed run's leftovers)."""
    for member in range(2, INDEXER_MEMBERS + 1):
        data_dir = ctx.dir / f"indexer-{member}"
        data_dir.mkdir(exist_ok=True)
        log = (ctx.dir / f"indexer-{member}.log").open("ab")
        _extra_indexers.append(
            subprocess.Popen(
                [*NEWSFLOW, "index"],
                env=ctx.env | {"NEWSFLOW_DATA_DIR": str(data_dir)},
                cwd=REPO_ROOT,
                stdout=log,
                stderr=log,
                start_new_session=True,
            )
        )


def _stop_extra_indexers() -> None:
    while _extra_indexers:
        proc = _extra_indexers.pop()
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(30)
            except subprocess.TimeoutExpired:
                kill_tree(proc.pid)


def _leader_of_partition_0(ctx: CaseContext) -> str:
    admin = AdminClient({"bootstrap.servers": ctx.settings.kafka_bootstrap})
    topic = admin.list_topics(ctx.settings.articles_topic, timeout=10).topics[ctx.settings.articles_topic]
    return f"kafka-{topic.partitions[0].leader}"


def _node_fault(
    ctx: CaseContext, node_of: Callable[[CaseContext], str], progress: Callable[[], int], what: str
) -> None:
    """Run 1; at STRIKE_FRACTION kill -9 the node; search probe until the run ends; then restart the node."""
    _more_indexers(ctx)
    flow = ctx.start_flow()
    target = max(1, int(STRIKE_FRACTION * len(ctx.site.pages)))
    ctx.when(lambda: progress() >= target, f"{target} {what}")
    node = node_of(ctx)
    probe = SearchProbe(
        Elasticsearch(ctx.stack.settings.es_url, request_timeout=30), ctx.settings.index_alias
    )
    ctx.stack.kill(node)
    ctx.mark_fault()
    probe.start()
    code: int | str = "?"
    try:
        code = ctx.wait_flow(flow)
    finally:
        ctx.outcome.notes.append(f"killed {node}; run 1 exit {code}; {probe.stop()}")
        ctx.stack.start(node)


def clean_probed(ctx: CaseContext) -> None:
    """The baseline run, two indexer members, with the same search probe as the faults (for comparison)."""
    _more_indexers(ctx)
    probe = SearchProbe(
        Elasticsearch(ctx.stack.settings.es_url, request_timeout=30), ctx.settings.index_alias
    )
    probe.start()
    try:
        ctx.outcome.notes.append(f"run 1 exit {ctx.run_flow()}")
    finally:
        ctx.outcome.notes.append(probe.stop().replace("during fault", "during the run"))


def kafka_node_kill(ctx: CaseContext) -> None:
    _node_fault(ctx, _leader_of_partition_0, ctx.on_topic, "articles on the topic")


def es_node_kill(ctx: CaseContext) -> None:
    # es-2: in a 2-node cluster only es-1 is master-eligible (see infra/cluster.py); losing it stops writes.
    _node_fault(ctx, lambda _ctx: "elasticsearch-2", ctx.searchable, "articles searchable")


def worker_kill(ctx: CaseContext) -> None:
    """Round 1; at STRIKE_FRACTION kill -9 worker-1's machine (worker, flow run, build workers), start its
    worker again (the machine is back); the round ends when its killed run is CRASHED by heartbeat."""
    if not isinstance(ctx, PoolCaseContext):
        ctx.outcome.notes.append("manual: not run, needs --ingest pool")
        return
    _more_indexers(ctx)
    flow = ctx.start_flow()
    target = max(1, int(STRIKE_FRACTION * len(ctx.site.pages)))
    ctx.when(lambda: ctx.on_topic() >= target, f"{target} articles on the topic")
    killed = ctx.kill_worker_machine(1)
    ctx.mark_fault()
    ctx.restart_worker(1)
    code = ctx.wait_flow(flow)
    ctx.outcome.notes.append(f"killed worker-1's {killed} processes, worker restarted; round 1 exit {code}")


CLUSTER_CASES = (
    Case("cluster-kafka-node", "kill -9 the broker leading partition 0 (of 3) at 30 %, down to the run's end",
         kafka_node_kill),
    Case("cluster-es-node", "kill -9 Elasticsearch node es-2 (of 2) at 30 %, down to the run's end",
         es_node_kill),
    Case("cluster-worker-kill", "kill -9 ingest worker-1 and its flow run (of 2) at 30 %, worker restarted",
         worker_kill),
)  # fmt: skip


def run_cluster_suite(
    stack: ClusterChaosStack, cases: list[Case], pages: int, root: Path, ingest: str = "pool"
) -> list[Outcome]:
    """The clean case on the cluster (the baseline), then each cluster case against it."""
    outcomes: list[Outcome] = []
    with FaultySite(load_pages(pages), port=SITE_PORT) as site:
        clean = Case("cluster-clean", CASES[0].fault, clean_probed)
        baseline: Baseline | None = None
        for case in [clean, *cases]:
            try:
                outcome = run_case(
                    stack, site, root, case.name, case.fault, case.script, baseline, INGEST_CONTEXTS[ingest]
                )
            finally:
                _stop_extra_indexers()
            if baseline is None:
                baseline = Baseline(urls=set(outcome.urls))
            outcomes.append(outcome)
            print(("PASS " if outcome.passed else "FAIL ") + json.dumps(_row(outcome)), flush=True)
    return outcomes


def _row(outcome: Outcome) -> dict[str, object]:
    return {k: v for k, v in asdict(outcome).items() if k != "urls"} | {"passed": outcome.passed}


def write_doc(outcomes: list[Outcome], pages: int, ingest: str = "pool", doc: Path = DOC) -> None:
    """The "Cluster" table between its own markers in docs/reliability.md (appended if missing)."""
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    ingesting = (
        f"ingestion by {WORKERS} workers of a Prefect process work pool, one half of the site each"
        if ingest == "pool"
        else "ingestion by one `newsflow run` process"
    )
    block = "\n".join(
        [
            BEGIN,
            f"Measured {when} ({pages} corpus pages served; 3 brokers, 2 Elasticsearch nodes, "
            f"{INDEXER_MEMBERS} indexer members, {ingesting}; load average {_load()}).",
            "",
            HEADER,
            "|" + "---|" * (HEADER.count("|") - 1),
            *(table_row(o) for o in outcomes),
            END,
        ]
    )
    text = doc.read_text() if doc.exists() else "# Reliability\n"
    if BEGIN in text and END in text:
        head, rest = text.split(BEGIN, 1)
        text = head + block + rest.split(END, 1)[1]
    else:
        text = text.rstrip("\n") + "\n\n## Cluster\n\n" + block + "\n"
    doc.write_text(text)


def _load() -> str:
    return " / ".join(f"{value:.1f}" for value in os.getloadavg())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=DEFAULT_PAGES, help="corpus pages the site serves")
    parser.add_argument("--cases", default="", help="comma-separated case names (default: all)")
    parser.add_argument("--root", type=Path, default=DEFAULT_ROOT, help="the throwaway cluster's directory")
    parser.add_argument("--ingest", choices=sorted(INGEST_CONTEXTS), default="pool", help="how cases ingest")
    parser.add_argument("--keep-stack", action="store_true", help="leave the cluster running")
    args = parser.parse_args()
    wanted = set(filter(None, args.cases.split(",")))
    cases = [case for case in CLUSTER_CASES if not wanted or case.name in wanted]
    stack = ClusterChaosStack(cluster_settings(args.root))
    stack.up()
    try:
        outcomes = run_cluster_suite(stack, cases, args.limit, args.root, args.ingest)
    finally:
        if stack.started_here and not args.keep_stack:
            stack.down()
    RESULTS_FILE.parent.mkdir(exist_ok=True)
    results = {
        "pages": args.limit,
        "ingest": args.ingest,
        "load_average_end": _load(),
        "cases": [_row(o) for o in outcomes],
    }
    RESULTS_FILE.write_text(json.dumps(results, indent=2) + "\n")
    write_doc(outcomes, args.limit, args.ingest)


if __name__ == "__main__":
    main()
