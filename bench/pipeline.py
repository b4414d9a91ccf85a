"""One end-to-end run on the local stack: simulated site -> Prefect ingest flow (child process) ->
Kafka -> streaming indexer(s) (child processes) -> Elasticsearch, until every article is searchable.

The clock starts at the simulated site's first request and stops at the first count of the alias
that shows every published article (the count only sees refreshed, i.e. searchable, documents).
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from confluent_kafka import ConsumerGroupState
from confluent_kafka.admin import AdminClient
from elasticsearch import Elasticsearch

from bench.freshness import PROBE_DOMAIN, FreshnessProbe, FreshnessResult
from bench.names import BenchNames, cleanup, settings_env
from bench.processes import GroupStats, ProcessSampler
from flows.sim_site import SimSite, load_pages
from indexing import templates
from infra import stack
from ingest.publish.topics import ensure_topics
from schemas.settings import REPO_ROOT, Settings

SOURCE_NAME = "bench-news-sitemap"
# How often the alias is counted near the end (adds at most this to the time), and before: each
# count costs CPU in ES and here, on the cores the run measures, and early counts only date the
# first searchable article. "Near the end": the flow has exited, or 90% of the served articles
# are searchable (~4% of corpus pages are dead-lettered, never searchable).
COUNT_POLL_S = 0.1
COUNT_POLL_EARLY_S = 1.0
NEAR_END_FRACTION = 0.9
# After the flow ends, give up waiting for the index if its count stops moving for this long.
STALL_TIMEOUT_S = 120.0
# The flow child gets this long before it is killed (10k articles take ~15 min on 2 busy cores).
FLOW_TIMEOUT_S = 3 * 3600
INDEXER_STOP_TIMEOUT_S = 30.0
# Indexers are long-running services: the run starts once they hold their partitions (a cold
# Python start with the Kafka and ES clients takes a few seconds on a busy machine).
INDEXER_READY_TIMEOUT_S = 120.0
NEWSFLOW = str(Path(sys.executable).with_name("newsflow"))


class TimedSimSite(SimSite):
    """The simulated site, remembering when it was first asked for anything (epoch seconds)."""

    first_request_at: float | None = None

    def record(self, path: str) -> None:
        if self.first_request_at is None:
            self.first_request_at = time.time()
        super().record(path)


@dataclass
class PipelineResult:
    label: str
    articles_served: int
    ingest_workers: int
    indexers: int
    discovered: int = 0
    published: int = 0
    dead_lettered: int = 0
    searchable: int = 0
    elapsed_s: float = 0.0  # first request -> last article searchable
    # From the first article searchable to the last: the steady rate, model loading and the first
    # fetch batch left out (what a long-running deployment sustains).
    steady_articles_per_s: float = 0.0
    flow_wall_s: float = 0.0  # the flow call, model loading and the final flush included
    freshness: FreshnessResult | None = None
    processes: dict[str, GroupStats] = field(default_factory=dict)
    profile_file: str | None = None
    stories: bool = False  # the stories stage consumed the articles beside the indexer
    # First request -> every searchable article has its story (the stage's own lag included).
    stories_elapsed_s: float | None = None

    @property
    def pages_per_s(self) -> float:
        return self.discovered / self.elapsed_s if self.elapsed_s else 0.0

    @property
    def articles_per_s(self) -> float:
        return self.searchable / self.elapsed_s if self.elapsed_s else 0.0

    @property
    def pipeline_cpu_s(self) -> float:
        return sum(stats.cpu_s for stats in self.processes.values())


def write_sources(path: Path, base_url: str) -> Path:
    """One source: the site's news sitemap (every article, one flow run, one pool of workers)."""
    sources = {
        "sources": [
            {
                "name": SOURCE_NAME,
                "type": "sitemap",
                "location": f"{base_url}/sitemap-news.xml",
                "interval_s": 3600,
            }
        ]
    }
    path.write_text(yaml.safe_dump(sources), "utf-8")
    return path


def _count_own(es: Elasticsearch, alias: str, *, storied: bool = False) -> int:
    """Searchable articles of the run (with a story: ``storied``), the freshness probe's left out."""
    having = {"filter": {"exists": {"field": "story_id"}}} if storied else {}
    query = {"bool": {"must_not": {"term": {"source.domain": PROBE_DOMAIN}}, **having}}
    return int(es.count(index=alias, query=query)["count"])


def _stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(INDEXER_STOP_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def stack_pids(base: Settings) -> dict[str, int]:
    """Service name -> PID of the running local stack (``newsflow stack up``)."""
    pids = {}
    for service in stack.services(base):
        pid = service.process.running_pid()
        if pid is not None:
            pids[service.name] = pid
    return pids


def run_pipeline(
    base: Settings,
    names: BenchNames,
    *,
    corpus_limit: int | None,
    replicate: int,
    workers: int,
    indexers: int,
    probe: bool,
    profile: bool,
    log_dir: Path,
    stories: bool = False,
) -> PipelineResult:
    """Serve ``corpus_limit`` x ``replicate`` articles and run them through the whole pipeline once;
    with ``stories``, the stories stage (``newsflow stories run``) consumes the articles beside the
    indexer (its own group; it also writes each article's document, so "searchable" is whichever of
    the two writes it first)."""
    es = Elasticsearch(base.es_url)
    pages = load_pages(corpus_limit, replicate)
    data_dir = Path(tempfile.mkdtemp(prefix=f"{names.prefix}-"))
    settings = names.settings(base, data_dir)
    result = PipelineResult(names.stage, len(pages), workers, indexers, stories=stories)
    ensure_topics(settings)
    templates.ensure_index(es, settings.index_alias)
    sampler = ProcessSampler()
    for role, pid in stack_pids(base).items():
        sampler.add(role, pid)
    sampler.add("bench (sim site, probe)", os.getpid(), include_children=False)
    children: list[subprocess.Popen[bytes]] = []
    freshness: FreshnessProbe | None = None
    try:
        with TimedSimSite(pages) as site:
            env = os.environ | settings_env(settings, write_sources(data_dir / "sources.yaml", site.base_url))
            sampler.start()
            for i in range(indexers):
                log = (log_dir / f"{names.prefix}-indexer-{i}.log").open("wb")
                proc = subprocess.Popen([NEWSFLOW, "index"], env=env, cwd=REPO_ROOT, stdout=log, stderr=log)
                children.append(proc)
                sampler.add("indexer" if indexers == 1 else f"indexer {i + 1}", proc.pid)
            if stories:
                log = (log_dir / f"{names.prefix}-stories.log").open("wb")
                proc = subprocess.Popen(
                    [NEWSFLOW, "stories", "run"], env=env, cwd=REPO_ROOT, stdout=log, stderr=log
                )
                children.append(proc)
                sampler.add("stories", proc.pid)
            wait_group_ready(settings, indexers)
            if probe:
                freshness = FreshnessProbe(settings, es).start()
            out = data_dir / "flow.json"
            argv = [sys.executable, "-m", "bench.flow_process", SOURCE_NAME, str(workers), str(out)]
            if profile:
                result.profile_file = str(log_dir / f"{names.prefix}-flow-profile.txt")
                argv += ["--profile", result.profile_file]
            flow_log = (log_dir / f"{names.prefix}-flow.log").open("wb")
            flow = subprocess.Popen(argv, env=env, cwd=REPO_ROOT, stdout=flow_log, stderr=flow_log)
            children.append(flow)
            sampler.add("flow + pool workers", flow.pid)
            samples = _watch(es, settings.index_alias, flow, len(pages))
            if flow.returncode != 0:
                raise RuntimeError(f"ingest flow failed (exit {flow.returncode}); see {flow_log.name}")
            report = json.loads(out.read_text())
            summary = report["summary"]
            result.discovered, result.published = summary["discovered"], summary["published"]
            result.dead_lettered = summary["dead_lettered"]
            result.flow_wall_s = report["ended_at"] - report["started_at"]
            done_at, result.searchable = _wait_searchable(es, settings.index_alias, result.published, samples)
            assert site.first_request_at is not None
            result.elapsed_s = done_at - site.first_request_at
            first_at, first_count = next(((at, n) for at, n in samples if n > 0), (done_at, 0))
            if done_at > first_at:
                result.steady_articles_per_s = (result.searchable - first_count) / (done_at - first_at)
            if freshness is not None:
                result.freshness = freshness.stop()
                freshness = None
            if stories:
                storied_at, _ = wait_for_count(
                    lambda: _count_own(es, settings.index_alias, storied=True), result.searchable, "stories"
                )
                result.stories_elapsed_s = storied_at - site.first_request_at
    finally:
        if freshness is not None:
            freshness.stop()
        for proc in reversed(children):
            _stop(proc)
        result.processes = sampler.stop()
        cleanup(settings, es)
        shutil.rmtree(data_dir, ignore_errors=True)  # seen-store, validators, sources.yaml of this run
    return result


def wait_group_ready(settings: Settings, members: int) -> None:
    """Until the indexer group is stable with ``members`` members that all hold partitions."""
    admin = AdminClient({"bootstrap.servers": settings.kafka_bootstrap})
    deadline = time.monotonic() + INDEXER_READY_TIMEOUT_S
    while time.monotonic() < deadline:
        group = admin.describe_consumer_groups([settings.indexer_group])[settings.indexer_group].result()
        assigned = [m for m in group.members if m.assignment and m.assignment.topic_partitions]
        if group.state == ConsumerGroupState.STABLE and len(assigned) == members == len(group.members):
            return
        time.sleep(0.25)
    raise RuntimeError(f"{members} indexer(s) did not join {settings.indexer_group} in time")


def _watch(
    es: Elasticsearch, alias: str, flow: subprocess.Popen[bytes], served: int
) -> list[tuple[float, int]]:
    """Count the alias until the flow exits; (epoch time, count) at each change."""
    samples: list[tuple[float, int]] = []
    deadline = time.monotonic() + FLOW_TIMEOUT_S
    while flow.poll() is None:
        if time.monotonic() > deadline:
            flow.kill()
            raise RuntimeError("ingest flow timed out")
        count = _count_own(es, alias)
        if not samples or samples[-1][1] != count:
            samples.append((time.time(), count))
        time.sleep(COUNT_POLL_S if count >= NEAR_END_FRACTION * served else COUNT_POLL_EARLY_S)
    return samples


def _wait_searchable(
    es: Elasticsearch, alias: str, expected: int, samples: list[tuple[float, int]]
) -> tuple[float, int]:
    """Epoch time at which the count first reached ``expected``, and the count then."""
    for at, count in samples:
        if count >= expected:
            return at, count
    return wait_for_count(lambda: _count_own(es, alias), expected, "end to end")


def wait_for_count(count: Callable[[], int], expected: int, what: str) -> tuple[float, int]:
    """Poll ``count()`` every ``COUNT_POLL_S`` until it reaches ``expected``; the epoch time then and the
    count. Raises if the count stops moving for ``STALL_TIMEOUT_S`` (an indexer is stuck or dead)."""
    last, last_change = -1, time.monotonic()
    while True:
        current = count()
        if current >= expected:
            return time.time(), current
        if current != last:
            last, last_change = current, time.monotonic()
        elif time.monotonic() - last_change > STALL_TIMEOUT_S:
            raise RuntimeError(f"{what}: stuck at {current} of {expected} documents searchable")
        time.sleep(COUNT_POLL_S)
