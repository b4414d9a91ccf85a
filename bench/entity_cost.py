"""CPU per article of the ingest core, for comparing two checkouts in the same session.

Runs ``ArticleBuilder.build_batch`` (decode, extract, enrich: NER, merge, and in newer checkouts entity
linking, places and the id registry) and ``Enricher.enrich_batch`` alone over the first N corpus pages, in
one process, after a warm-up pass, and prints CPU seconds per page (process time: the machine is shared, so
wall time mostly measures the other tenants). It only uses APIs every checkout has, so the baseline is the
same file run against the other code::

    PYTHONPATH=/work/main  .venv/bin/python bench/entity_cost.py --limit 300   # baseline
    PYTHONPATH=<worktree>  .venv/bin/python bench/entity_cost.py --limit 300   # this branch

Alternate the two (``--rounds``) and compare the best round of each. Set NEWSFLOW_DATA_DIR to a scratch
directory: the id registry (SQLite) is written there.
"""

from __future__ import annotations

import argparse
import gzip
import json
import time
from datetime import UTC, datetime
from pathlib import Path

from ingest.core import ArticleBuilder
from ingest.decode import decode_html
from ingest.enrich import Enricher, EnrichInput
from ingest.extract import Extracted, extract_article
from ingest.page import RawPage

CORPUS_DIR = Path(__file__).resolve().parents[2] / "shared" / "corpus"
WARMUP_PAGES = 48
"""Pages built before timing: loads every model (and the gazetteer) and warms the extraction caches."""


def _pages(limit: int) -> list[RawPage]:
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=300, help="the first N corpus pages")
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    pages = _pages(args.limit)
    builder = ArticleBuilder()
    builder.build_batch(pages[:WARMUP_PAGES])
    extracted = [extract_article(decode_html(p.body, p.content_type), p.url) for p in pages]
    inputs = [EnrichInput(a.text, a.published_at, a.language) for a in extracted if isinstance(a, Extracted)]
    enricher = Enricher()
    enricher.enrich_batch(inputs[:WARMUP_PAGES])
    core, enrich = [], []
    for _ in range(args.rounds):
        start = time.process_time()
        builder.build_batch(pages)
        core.append((time.process_time() - start) / len(pages))
        start = time.process_time()
        enricher.enrich_batch(inputs)
        enrich.append((time.process_time() - start) / len(inputs))
    print(
        json.dumps(
            {
                "pages": len(pages),
                "texts": len(inputs),
                "core_cpu_ms_per_page": [round(1000 * s, 2) for s in core],
                "enrich_cpu_ms_per_text": [round(1000 * s, 2) for s in enrich],
            }
        )
    )


if __name__ == "__main__":
    main()
