"""End-to-end benchmark on the local stack: ``python -m bench.run [--articles 10000] [--quick]``.

Run after ``newsflow stack up``. Every figure is a ratio against a baseline measured in the same run,
or a latency distribution:

1. throughput: simulated site -> Prefect ``ingest-source`` flow -> Kafka -> streaming indexer ->
   searchable, vs the bound: the ingest core (``BuildPool``) alone over the same pages, in memory;
2. freshness: delivery callback -> returned by a search, for probe events published during (1);
3. indexing: the indexer vs ``helpers.bulk`` of the same documents (``bench.indexing``'s comparison);
4. search at scale: p50/p95 of three query shapes over ``--search-docs`` documents;
5. scaling: 1 and 2 ingest workers, 1 and 2 indexer processes;
plus peak RSS and CPU seconds of every process of the pipeline during (1).

Topics, indices, consumer groups and data dirs are unique per run and deleted at the end. Writes
``bench/results.json`` and the "End to end" section of ``docs/benchmarks.md`` (unless ``--no-write``).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import tempfile
import time
import uuid
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

import psutil
from rich.console import Console
from rich.table import Table

from bench import index_capacity, search_scale
from bench.core import _timed
from bench.indexing import make_events
from bench.names import BENCH_MIN_DELAY_MS, BENCH_PER_HOST_CONCURRENCY, BenchNames
from bench.pipeline import PipelineResult, run_pipeline
from bench.report import process_rows, summary_rows, write_docs
from flows.sim_site import load_pages
from flows.sim_site.corpus import corpus_dir
from ingest.page import RawPage
from ingest.pool import BuildPool
from schemas.settings import REPO_ROOT, Settings, get_settings

RESULTS_FILE = Path(__file__).resolve().parent / "results.json"
STORIES_RESULTS = Path(__file__).resolve().parent / "results" / "stories.json"


@dataclass(frozen=True)
class Profile:
    """Sizes of one benchmark run; ``--quick`` keeps the whole run under ~5 minutes."""

    articles: int
    scaling_articles: int
    indexing_docs: int
    search_docs: int
    queries: int


FULL = Profile(
    articles=10_000,
    scaling_articles=1_000,
    indexing_docs=5_000,
    search_docs=100_000,
    queries=200,
)
QUICK = Profile(articles=1_000, scaling_articles=300, indexing_docs=1_000, search_docs=10_000, queries=50)


# The bound is measured once the machine's busy CPU stays under this (a tenth of a core: the idle stack
# uses ~0.03) over a 2 s window, for at most a minute.
QUIET_BUSY_CORES = 0.1
QUIET_WINDOW_S = 2.0
QUIET_TIMEOUT_S = 60.0


@dataclass(frozen=True)
class Bound:
    workers: int
    pages: int
    pages_per_s_wall: float
    pages_per_s_dedicated: float  # workers x pages / CPU seconds: the rate on idle cores


def corpus_split(articles: int) -> tuple[int, int]:
    """(distinct corpus pages, copies of each) to serve at least ``articles`` articles."""
    distinct = len(json.loads((corpus_dir() / "pages.json").read_text("utf-8")))
    replicate = math.ceil(articles / distinct)
    return math.ceil(articles / replicate), replicate


def bound_pages(limit: int) -> list[RawPage]:
    """The site's page bytes for the first ``limit`` corpus pages, as the fetcher would hand them over."""
    base_url = "http://127.0.0.1:8765"
    now = datetime.now(UTC)
    return [
        RawPage(
            url=base_url + p.path,
            body=p.body(base_url),
            fetched_at=now,
            source_name="bound",
            content_type="text/html",
        )
        for p in load_pages(limit)
    ]


def warm_pool(workers: int, pages: list[RawPage]) -> BuildPool:
    """A pool that has built every page once, untimed: model loading, worker start-up and each worker's
    lazily filled caches (date parsers per language, ...) are out of the bound, which is then the
    core's steady rate (a first timed pass after a short warm-up ran up to ~10 % slower than the second
    in the same run, which made the bound, and so every ratio, drift)."""
    pool = BuildPool(workers)
    pool.build(pages)
    return pool


def wait_quiet(console: Console | None = None) -> float:
    """Wait until the whole machine is quiet (what the previous part left running, e.g. Elasticsearch
    merging or Kafka deleting its topics, has settled), so the bound is not measured on shared cores;
    returns the busy cores of the last window."""
    deadline = time.monotonic() + QUIET_TIMEOUT_S
    while True:
        before = psutil.cpu_times()
        time.sleep(QUIET_WINDOW_S)
        after = psutil.cpu_times()
        busy = sum(after) - sum(before) - (after.idle - before.idle) - (after.iowait - before.iowait)
        cores = busy / QUIET_WINDOW_S
        if cores <= QUIET_BUSY_CORES or time.monotonic() > deadline:
            if cores > QUIET_BUSY_CORES and console is not None:
                console.print(f"machine still busy ({cores:.2f} cores) after {QUIET_TIMEOUT_S:.0f} s")
            return cores


def measure_bound(pool: BuildPool, pages: list[RawPage], console: Console | None = None) -> Bound:
    """The ingest core alone on the pool's workers over ``pages`` in memory (no I/O), once the machine
    is quiet."""
    wait_quiet(console)
    timing, _ = _timed(lambda: pool.build(pages))
    return Bound(
        pool.workers, len(pages), len(pages) / timing.wall_s, pool.workers * len(pages) / timing.cpu_s
    )


def mean_bound(before: Bound, after: Bound) -> Bound:
    """The bound measured before and after the end-to-end run, averaged (the machine's load drifts)."""
    return Bound(
        before.workers,
        before.pages,
        (before.pages_per_s_wall + after.pages_per_s_wall) / 2,
        (before.pages_per_s_dedicated + after.pages_per_s_dedicated) / 2,
    )


def machine() -> dict[str, object]:
    model = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    return {
        "nproc": os.cpu_count(),
        "ram_gb": round(psutil.virtual_memory().total / 2**30, 1),
        "cpu_model": model,
        "python": platform.python_version(),
        "load_average_1m_at_start": round(os.getloadavg()[0], 2),
    }


# Indexing and search first: they also warm up the JIT of an Elasticsearch started just before the
# benchmark, which the end-to-end run would otherwise pay for (a long-running node is warm).
PARTS = ("indexing", "search", "e2e", "scaling")
OPTIONAL_PARTS = ("stories",)  # run only when asked for with --only
STORIES_ROUNDS = 4
"""Pairs of end-to-end runs without / with the stories stage, in ABBA order (without, with, with,
without, ...): a drift of the shared machine's load over the part weighs on both sides alike. A first
run, not counted, warms up the machine: the first run of a part was ~35 % slower than the next ones on
a quiet machine (964 articles: 8.0 articles/s, then 12.6 and 12.1)."""


@dataclass(frozen=True)
class Context:
    """What every part of one invocation shares."""

    run: str
    profile: Profile
    articles: int
    search_docs: int
    workers: int
    flow_profile: bool
    log_dir: Path
    console: Console


def part_e2e(ctx: Context, base: Settings) -> dict[str, object]:
    """The bound before, the end-to-end run (with the freshness probe), the bound after."""
    limit, replicate = corpus_split(ctx.articles)
    ctx.console.print(f"end to end: {limit} corpus pages x {replicate} = {limit * replicate} articles")
    pages = bound_pages(limit)  # every distinct page served (a replica costs the same)
    with warm_pool(ctx.workers, pages) as pool:  # idle (no CPU) during the end-to-end run
        before = measure_bound(pool, pages, ctx.console)
        ctx.console.print(f"bound before: {before}")
        e2e = run_pipeline(
            base,
            BenchNames(ctx.run, "e2e"),
            corpus_limit=limit,
            replicate=replicate,
            workers=ctx.workers,
            indexers=1,
            probe=True,
            profile=ctx.flow_profile,
            log_dir=ctx.log_dir,
        )
        ctx.console.print(
            f"end to end: {e2e.articles_per_s:.2f} articles/s ({e2e.searchable} in {e2e.elapsed_s:.0f} s)"
        )
        after = measure_bound(pool, pages, ctx.console)
        ctx.console.print(f"bound after: {after}")
    return {
        "bound": asdict(mean_bound(before, after)),
        "bound_before": asdict(before),
        "bound_after": asdict(after),
        "e2e": pipeline_json(e2e),
    }


def part_stories(ctx: Context, base: Settings) -> dict[str, object]:
    """The end-to-end run without and with the stories stage beside the indexer, interleaved (ABBA);
    the ratio of their mean throughputs (issue 16: within 5 %). Also written to
    ``bench/results/stories.json`` ("end_to_end")."""
    limit, replicate = corpus_split(ctx.articles)
    runs: dict[bool, list[PipelineResult]] = {False: [], True: []}
    warm_up = 0.0
    order = [flag for i in range(STORIES_ROUNDS) for flag in ((False, True) if i % 2 == 0 else (True, False))]
    for n, with_stories in enumerate([None, *order]):
        result = run_pipeline(
            base,
            BenchNames(ctx.run, f"st{n}{'s' if with_stories else ''}"),
            corpus_limit=limit,
            replicate=replicate,
            workers=ctx.workers,
            indexers=1,
            probe=False,
            profile=False,
            log_dir=ctx.log_dir,
            stories=bool(with_stories),
        )
        if with_stories is None:
            warm_up = result.articles_per_s
        else:
            runs[with_stories].append(result)
        stories_s = f", all with a story after {result.stories_elapsed_s:.0f} s" if with_stories else ""
        what = {None: "warm-up", False: "off", True: "on"}[with_stories]
        ctx.console.print(
            f"stories {what}: {result.articles_per_s:.2f} articles/s "
            f"({result.searchable} in {result.elapsed_s:.0f} s{stories_s}), load {os.getloadavg()[0]:.1f}"
        )
    mean = {flag: sum(r.articles_per_s for r in rs) / len(rs) for flag, rs in runs.items()}
    stories = {
        "articles": limit * replicate,
        "order": ["with" if flag else "without" for flag in order],
        "warm_up_without_articles_per_s": round(warm_up, 2),
        "without_articles_per_s": [round(r.articles_per_s, 2) for r in runs[False]],
        "with_articles_per_s": [round(r.articles_per_s, 2) for r in runs[True]],
        "with_stories_elapsed_s": [round(r.stories_elapsed_s or 0.0, 1) for r in runs[True]],
        "with_over_without": round(mean[True] / mean[False], 3) if mean[False] else None,
        "stories_stage_cpu_s": [round(r.processes["stories"].cpu_s, 1) for r in runs[True]],
        "pipeline_cpu_s": {
            "without": [round(r.pipeline_cpu_s, 1) for r in runs[False]],
            "with": [round(r.pipeline_cpu_s, 1) for r in runs[True]],
        },
        "load_average_1m_at_end": round(os.getloadavg()[0], 2),
        "run": ctx.run,
    }
    ctx.console.print(f"stories end to end: {stories}")
    stored = json.loads(STORIES_RESULTS.read_text(encoding="utf-8")) if STORIES_RESULTS.exists() else {}
    stored["end_to_end"] = stories
    STORIES_RESULTS.write_text(json.dumps(stored, indent=2) + "\n", encoding="utf-8")
    return {"stories_e2e": stories}


def part_scaling(ctx: Context, base: Settings) -> dict[str, object]:
    """The core with 1 and 2 workers; the pipeline with 1/2 ingest workers and 1/2 indexers; the indexer
    alone with 1 and 2 processes."""
    scaling: dict[str, object] = {}
    s_limit, s_replicate = corpus_split(ctx.profile.scaling_articles)
    pages = bound_pages(s_limit)
    for workers in (1, 2):
        with warm_pool(workers, pages) as pool:
            scaling[f"bound_{workers}_worker{'s' if workers > 1 else ''}"] = asdict(
                measure_bound(pool, pages)
            )
    for label, workers, indexers in (("w1-i1", 1, 1), ("w2-i1", 2, 1), ("w2-i2", 2, 2)):
        result = run_pipeline(
            base,
            BenchNames(ctx.run, label),
            corpus_limit=s_limit,
            replicate=s_replicate,
            workers=workers,
            indexers=indexers,
            probe=False,
            profile=False,
            log_dir=ctx.log_dir,
        )
        scaling[label] = pipeline_json(result)
        ctx.console.print(f"scaling {label}: {result.steady_articles_per_s:.2f} articles/s steady")
    events = make_events(ctx.profile.indexing_docs, seed=31)
    for processes in (1, 2):
        rate = index_capacity.streaming_rate(
            base, BenchNames(ctx.run, f"idx{processes}"), events, processes, ctx.log_dir
        )
        scaling[f"indexer_{processes}_processes_docs_per_s"] = rate
        ctx.console.print(f"indexer x{processes}: {rate:.0f} docs/s")
    return {"scaling": scaling}


def part_indexing(ctx: Context, base: Settings) -> dict[str, object]:
    comparison = index_capacity.compare_with_bulk(
        base, BenchNames(ctx.run, "bulk"), make_events(ctx.profile.indexing_docs)
    )
    ctx.console.print(f"indexing: {comparison}")
    return {"indexing": asdict(comparison)}


def part_search(ctx: Context, base: Settings) -> dict[str, object]:
    scale = search_scale.run(base, BenchNames(ctx.run, "search"), ctx.search_docs, ctx.profile.queries)
    ctx.console.print(f"search: {scale}")
    return {"search": asdict(scale)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="~1,000 articles, 10k search docs (~5 min)")
    parser.add_argument("--articles", type=int, default=None)
    parser.add_argument("--search-docs", type=int, default=None)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument(
        "--only",
        nargs="+",
        choices=PARTS + OPTIONAL_PARTS,
        default=list(PARTS),
        help="run only these parts; the others' results are kept from bench/results.json ('stories': "
        "the end-to-end run without and with the stories stage, interleaved)",
    )
    parser.add_argument("--profile", action="store_true", help="pyinstrument the flow's main thread")
    parser.add_argument("--no-write", action="store_true", help="leave docs/benchmarks.md alone")
    args = parser.parse_args()
    profile = QUICK if args.quick else FULL
    run = uuid.uuid4().hex[:8]
    ctx = Context(
        run,
        profile,
        args.articles or profile.articles,
        args.search_docs or profile.search_docs,
        args.workers,
        args.profile,
        Path(tempfile.mkdtemp(prefix=f"bench-{run}-")),
        Console(),
    )
    base = get_settings()
    partial = set(args.only) != set(PARTS) and RESULTS_FILE.exists()
    results: dict[str, object] = json.loads(RESULTS_FILE.read_text()) if partial else {}
    ctx.console.print(f"[bold]bench.run[/bold] {run}: {', '.join(args.only)}; logs in {ctx.log_dir}")
    started = time.monotonic()
    dates = dict(results.get("parts", {}))  # type: ignore[arg-type]
    for part in args.only:
        results |= globals()[f"part_{part}"](ctx, base)
        dates[part] = {
            "date": datetime.now(UTC).isoformat(timespec="seconds"),
            "run": run,
            "quick": args.quick,
        }
    results |= {
        "run": run,
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "quick": args.quick,
        "parts": dates,
        "machine": machine(),
        "logs": str(ctx.log_dir),
        "fetch_per_host_concurrency": BENCH_PER_HOST_CONCURRENCY,
        "fetch_min_delay_ms": BENCH_MIN_DELAY_MS,
        "bench_wall_s": round(time.monotonic() - started, 1),
    }
    RESULTS_FILE.write_text(json.dumps(results, indent=2) + "\n")
    print_tables(ctx.console, results)
    if not args.no_write:
        write_docs(results, REPO_ROOT / "docs" / "benchmarks.md")
        ctx.console.print("written: bench/results.json, docs/benchmarks.md (section End to end)")


def pipeline_json(result: PipelineResult) -> dict[str, object]:
    data = asdict(result)
    data |= {
        "pages_per_s": result.pages_per_s,
        "articles_per_s": result.articles_per_s,
        "pipeline_cpu_s": result.pipeline_cpu_s,
    }
    return data


def print_tables(console: Console, results: dict[str, object]) -> None:
    table = Table(title=f"newsflow end to end ({results['machine']['nproc']} cores)")  # type: ignore[index]
    for column in ("measure", "value", "baseline / goal", "ratio"):
        table.add_column(column)
    for row in summary_rows(results):
        table.add_row(*row)
    console.print(table)
    processes = Table(title="processes during the end-to-end run")
    for column in ("process", "peak RSS MB", "largest process MB", "CPU s", "CPU share"):
        processes.add_column(column, justify="right" if column != "process" else "left")
    for row in process_rows(results):
        processes.add_row(*row)
    console.print(processes)


if __name__ == "__main__":
    main()
