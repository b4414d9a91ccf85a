"""Which entity labels a checkout changes on unlabelled corpus pages: a look for misfiring rules.

Step 1, once per checkout (the same file run against the other code, like ``bench/entity_cost.py``)::

    PYTHONPATH=/work/main .venv/bin/python bench/entity_label_diff.py --dump /tmp/main.json
    PYTHONPATH=<worktree> .venv/bin/python bench/entity_label_diff.py --dump /tmp/branch.json

Step 2: ``.venv/bin/python bench/entity_label_diff.py --compare /tmp/main.json /tmp/branch.json`` prints,
per (old label, new label), how many entities of the same page and text changed and their names. The
pages are the first N corpus pages (neither split of the hand labels), so reading the changes is no
tuning on the held-out split. Set NEWSFLOW_DATA_DIR to a scratch directory (the id registry is in memory,
but settings read the data dir).
"""

from __future__ import annotations

import argparse
import json
from collections import Counter, defaultdict
from pathlib import Path

from bench.core import _load_pages
from ingest.decode import decode_html
from ingest.enrich import Enricher, EnrichInput
from ingest.entity_registry import EntityRegistry
from ingest.extract import Extracted, extract_article
from ingest.identity import source_domain


def dump(limit: int, path: Path) -> None:
    extracted = []
    for page in _load_pages(limit):
        article = extract_article(decode_html(page.body, page.content_type), page.url)
        if isinstance(article, Extracted):
            extracted.append((page.url, article))
    enricher = Enricher(registry=EntityRegistry(None))
    results = enricher.enrich_batch(
        [EnrichInput(a.text, a.published_at, a.language, source_domain(url)) for url, a in extracted]
    )
    rows = []
    for (url, _), result in zip(extracted, results, strict=True):
        rows.extend([url, e.text, e.label] for e in result.entities)
    path.write_text(json.dumps(rows), encoding="utf-8")


def compare(before: Path, after: Path) -> None:
    def labels(path: Path) -> dict[str, dict[str, str]]:
        by_page: dict[str, dict[str, str]] = defaultdict(dict)
        for url, text, label in json.loads(path.read_text(encoding="utf-8")):
            by_page[url][text] = label
        return by_page

    old, new = labels(before), labels(after)
    changed: Counter[tuple[str, str]] = Counter()
    names: dict[tuple[str, str], set[str]] = defaultdict(set)
    for url, entities in old.items():
        for text, label in entities.items():
            now = new.get(url, {}).get(text)
            if now is not None and now != label:
                changed[(label, now)] += 1
                names[(label, now)].add(text)
    for (label, now), count in changed.most_common():
        print(f"{label} -> {now}: {count}: {', '.join(sorted(names[(label, now)]))}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dump", type=Path, help="write this checkout's entities to this file")
    parser.add_argument("--limit", type=int, default=400, help="the first N corpus pages")
    parser.add_argument("--compare", type=Path, nargs=2, metavar=("BEFORE", "AFTER"))
    args = parser.parse_args()
    if args.dump:
        dump(args.limit, args.dump)
    if args.compare:
        compare(*args.compare)


if __name__ == "__main__":
    main()
