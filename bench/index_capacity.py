"""Indexing capacity: the indexer vs a plain ``helpers.bulk`` (bench/indexing.py's comparison, reused),
and the streaming indexer with 1 and 2 processes in one consumer group over a pre-generated backlog.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from elasticsearch import Elasticsearch

from bench.indexing import Round, compare_round, produce
from bench.names import BenchNames, cleanup, settings_env
from bench.pipeline import NEWSFLOW, _stop, wait_for_count, wait_group_ready
from indexing import templates
from ingest.publish.topics import ensure_topics
from schemas.article import ArticleEvent
from schemas.settings import REPO_ROOT, Settings

# Indexer/plain pairs, order alternating (the first bulk of a run meets a colder node), as bench.indexing.
COMPARISON_ROUNDS = 3


@dataclass(frozen=True)
class BulkComparison:
    docs: int
    rounds: int
    indexer_docs_per_s: float  # medians over the rounds
    plain_docs_per_s: float
    ratio: float  # median of the rounds' ratios


def compare_with_bulk(base: Settings, names: BenchNames, events: list[ArticleEvent]) -> BulkComparison:
    """``bench.indexing.compare_round``, ``COMPARISON_ROUNDS`` times: the indexer vs ``helpers.bulk``."""
    es = Elasticsearch(base.es_url)
    rounds: list[Round] = []
    for i in range(COMPARISON_ROUNDS):
        round_names = BenchNames(names.run, f"{names.stage}{i}")
        settings = round_names.settings(base)
        plain = settings.model_copy(update={"index_alias": f"{round_names.prefix}-plain"})
        try:
            rounds.append(compare_round(es, settings, plain.index_alias, events, indexer_first=i % 2 == 0))
        finally:
            cleanup(settings, es)
            cleanup(plain, es)
    return BulkComparison(
        len(events),
        len(rounds),
        statistics.median(r.indexer_docs_per_s for r in rounds),
        statistics.median(r.plain_docs_per_s for r in rounds),
        statistics.median(r.ratio for r in rounds),
    )


def streaming_rate(
    base: Settings, names: BenchNames, events: list[ArticleEvent], processes: int, log_dir: Path
) -> float:
    """Docs/s of ``processes`` running ``newsflow index`` over a backlog produced once they are ready:
    from the first produce to the last document searchable."""
    es = Elasticsearch(base.es_url)
    settings = names.settings(base)
    children: list[subprocess.Popen[bytes]] = []
    try:
        ensure_topics(settings)
        templates.ensure_index(es, settings.index_alias)
        env = os.environ | settings_env(settings)
        for i in range(processes):
            log = (log_dir / f"{names.prefix}-indexer-{i}.log").open("wb")
            children.append(
                subprocess.Popen([NEWSFLOW, "index"], env=env, cwd=REPO_ROOT, stdout=log, stderr=log)
            )
        wait_group_ready(settings, processes)
        started = time.time()
        produce(settings, events)
        done_at, _ = wait_for_count(
            lambda: int(es.count(index=settings.index_alias)["count"]), len(events), f"{processes} indexer(s)"
        )
        return len(events) / (done_at - started)
    finally:
        for child in children:
            _stop(child)
        cleanup(settings, es)
