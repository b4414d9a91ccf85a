"""Indexing capacity: the indexer vs a plain ``helpers.bulk`` (bench/indexing.py's comparison, reused),
and the streaming indexer with 1 and 2 processes in one consumer group over a pre-generated backlog.
"""

from __future__ import annotations

import os
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from elasticsearch import Elasticsearch

from bench.indexing import plain_bulk, produce
from bench.names import BenchNames, cleanup, settings_env
from bench.pipeline import COUNT_POLL_S, NEWSFLOW, STALL_TIMEOUT_S, _stop, wait_group_ready
from indexing import indexer, templates
from ingest.publish.topics import ensure_topics
from schemas.article import ArticleEvent
from schemas.settings import REPO_ROOT, Settings


@dataclass(frozen=True)
class BulkComparison:
    docs: int
    indexer_docs_per_s: float
    plain_docs_per_s: float

    @property
    def ratio(self) -> float:
        return self.indexer_docs_per_s / self.plain_docs_per_s


def compare_with_bulk(base: Settings, names: BenchNames, events: list[ArticleEvent]) -> BulkComparison:
    """``run_until_caught_up`` over the events, then ``helpers.bulk`` of the same into a fresh index."""
    es = Elasticsearch(base.es_url)
    settings = names.settings(base)
    plain = settings.model_copy(update={"index_alias": f"{names.prefix}-plain"})
    try:
        ensure_topics(settings)
        produce(settings, events)
        report = indexer.run_until_caught_up(settings)
        if report.indexed != len(events):
            raise RuntimeError(f"indexer indexed {report.indexed} of {len(events)}: {report}")
        plain_s = plain_bulk(es, plain.index_alias, events, settings)
        return BulkComparison(len(events), report.indexed / report.elapsed_s, len(events) / plain_s)
    finally:
        cleanup(settings, es)
        cleanup(plain, es)


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
        started = time.monotonic()
        produce(settings, events)
        last, last_change = 0, time.monotonic()
        while True:
            count = int(es.count(index=settings.index_alias)["count"])
            if count >= len(events):
                return len(events) / (time.monotonic() - started)
            if count != last:
                last, last_change = count, time.monotonic()
            elif time.monotonic() - last_change > STALL_TIMEOUT_S:
                raise RuntimeError(f"{processes} indexer(s): stuck at {count} of {len(events)}")
            time.sleep(COUNT_POLL_S)
    finally:
        for child in children:
            _stop(child)
        cleanup(settings, es)
