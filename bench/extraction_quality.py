"""Extraction quality: ours against plain trafilatura and plain rs-trafilatura, in the same run.

Two parts. ``corpus`` (../shared/corpus): for every page, a ``with`` snippet found in the output is
a hit, a ``without`` snippet found is a false positive (whitespace runs collapsed to one space on
both sides, then a case-sensitive substring test; a rejected page counts as empty output).
``newsbench`` (../shared/newsbench, ``bench/newsbench.py``): body, title, authors, date and language
against hand-checked values, overall and per country. rs-trafilatura rows appear when the package
is installed. ``guard`` (bench/data/guard_meta.jsonl, ``bench/guard_meta.py``): title, authors and
day on 80 hand-labelled corpus article pages from non-newsbench hosts, ours against plain
trafilatura; its figures go to bench/results/guard_meta.json (``--part both`` does not run it). ``date-dev``
(bench/data/date_dev.jsonl): the date development set, days only, scored by the guard's code ->
bench/results/date_dev.json. ``meta-dev`` (bench/data/meta_dev.jsonl): the title/author development set,
scored the same way -> bench/results/meta_dev.json.

    .venv/bin/python -m bench.extraction_quality [--part corpus|newsbench|both|guard|date-dev|meta-dev]
        [--half A|B]
        [--limit N] [--workers N]

``--half`` keeps the pages of one half of the sites (``newsbench.site_half``: by a hash of the host
name, so every page of a site is in the same half): rules are developed looking at errors on half A
only, and a rule is kept when it does not hurt half B.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import re
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import trafilatura

from bench import guard_meta, newsbench
from ingest.decode import decode_html
from ingest.extract import Extracted, extract_article

CORPUS_DIR = Path(__file__).resolve().parents[2] / "shared" / "corpus"
RESULTS_FILE = Path(__file__).resolve().parent / "results" / "extraction_quality.json"
GUARD_RESULTS_FILE = Path(__file__).resolve().parent / "results" / "guard_meta.json"
# The date development set (issue 14, session 9): pages labelled with their day only, to write date rules on.
DATE_DEV_FILE = Path(__file__).resolve().parent / "data" / "date_dev.jsonl"
DATE_DEV_RESULTS_FILE = Path(__file__).resolve().parent / "results" / "date_dev.json"
# The title/author development set (issue 14, session 9): titles and authors only, to write author rules on.
META_DEV_FILE = Path(__file__).resolve().parent / "data" / "meta_dev.jsonl"
META_DEV_RESULTS_FILE = Path(__file__).resolve().parent / "results" / "meta_dev.json"
# Pages per task sent to a worker: large enough that pickling overhead is noise (a page takes
# ~20 ms to extract), small enough that both cores stay busy until the end of the corpus.
CHUNK_PAGES = 8

_WHITESPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class Score:
    name: str
    with_found: int
    with_total: int
    without_kept: int
    without_total: int
    seconds: float  # CPU-side time spent inside the extractor, summed over pages

    @property
    def with_share(self) -> float:
        return self.with_found / self.with_total

    @property
    def without_share(self) -> float:
        return self.without_kept / self.without_total


def _normalise(text: str) -> str:
    return _WHITESPACE.sub(" ", text).strip()


def _plain(body: bytes, url: str) -> str:
    """What a plain call gives: trafilatura's own decoding and default settings."""
    return trafilatura.extract(body, url=url) or ""


def _ours(body: bytes, url: str) -> str:
    result = extract_article(decode_html(body, None), url)
    return result.text if isinstance(result, Extracted) else ""


def _plain_rs(body: bytes, url: str) -> str:
    import rs_trafilatura  # optional, see newsbench.available_extractors

    return rs_trafilatura.extract_bytes(body, url=url).main_content or ""


EXTRACTORS: dict[str, Callable[[bytes, str], str]] = {"plain trafilatura": _plain, "newsflow": _ours}
if "plain rs-trafilatura" in newsbench.available_extractors():
    EXTRACTORS = {"plain trafilatura": _plain, "plain rs-trafilatura": _plain_rs, "newsflow": _ours}


def _run_page(page: dict) -> dict[str, tuple[float, str]]:
    body = gzip.decompress((CORPUS_DIR / page["file"]).read_bytes())
    outputs = {}
    for name, extractor in EXTRACTORS.items():
        started = time.perf_counter()
        text = extractor(body, page["url"])
        outputs[name] = (time.perf_counter() - started, _normalise(text))
    return outputs


def score(pages: list[dict], workers: int) -> list[Score]:
    with ProcessPoolExecutor(workers) as pool:
        results = list(pool.map(_run_page, pages, chunksize=CHUNK_PAGES))
    scores = []
    for name in EXTRACTORS:
        found = kept = 0
        seconds = 0.0
        for page, outputs in zip(pages, results, strict=True):
            elapsed, text = outputs[name]
            seconds += elapsed
            found += sum(_normalise(s) in text for s in page["with"])
            kept += sum(_normalise(s) in text for s in page["without"])
        with_total = sum(len(p["with"]) for p in pages)
        without_total = sum(len(p["without"]) for p in pages)
        scores.append(Score(name, found, with_total, kept, without_total, seconds))
    return scores


def _corpus(limit: int | None, workers: int, half: str | None = None) -> dict:
    pages = json.loads((CORPUS_DIR / "pages.json").read_text())[:limit]
    pages = [p for p in pages if half is None or newsbench.site_half(p["url"]) == half]
    scores = score(pages, workers)
    print(f"corpus: {len(pages)} pages")
    print(f"{'extractor':<22} {'with found':>16} {'without kept':>16} {'pages/s/core':>13}")
    for s in scores:
        print(
            f"{s.name:<22} {s.with_share:>7.2%} {s.with_found:>4}/{s.with_total:<4}"
            f" {s.without_share:>7.2%} {s.without_kept:>4}/{s.without_total:<4}"
            f" {len(pages) / s.seconds:>13.1f}"
        )
    return {
        "pages": len(pages),
        "scores": [
            {
                "extractor": s.name,
                "with_found": s.with_found,
                "with_total": s.with_total,
                "with_share": round(s.with_share, 4),
                "without_kept": s.without_kept,
                "without_total": s.without_total,
                "without_share": round(s.without_share, 4),
                "pages_per_s_per_core": round(len(pages) / s.seconds, 1),
            }
            for s in scores
        ],
    }


def _newsbench(limit: int | None, workers: int, half: str | None = None) -> dict:
    pages = newsbench.load_pages(limit)
    pages = [p for p in pages if half is None or newsbench.site_half(p["url"]) == half]
    with ProcessPoolExecutor(workers) as pool:
        results = list(pool.map(newsbench.run_page, pages, chunksize=CHUNK_PAGES))
    summary = newsbench.summarise(pages, results)
    newsbench.print_summary(summary)
    return summary


def _guard(limit: int | None, workers: int, part: str = "guard") -> None:
    """The guard set (or a development set, ``--part date-dev|meta-dev``, scored by the same code): held
    out by construction, so ``--half`` does not apply; a full run writes its file."""
    data_file, results_file, label = {
        "guard": (guard_meta.GUARD_FILE, GUARD_RESULTS_FILE, "guard set"),
        "date-dev": (DATE_DEV_FILE, DATE_DEV_RESULTS_FILE, "date development set (day only)"),
        "meta-dev": (META_DEV_FILE, META_DEV_RESULTS_FILE, "title/author development set (no day)"),
    }[part]
    pages = guard_meta.load_pages(data_file, limit=limit)
    with ProcessPoolExecutor(workers) as pool:
        results = list(pool.map(guard_meta.run_page, pages, chunksize=CHUNK_PAGES))
    summary = guard_meta.summarise(pages, results)
    guard_meta.print_summary(summary, label)
    if limit is None:
        results_file.write_text(json.dumps(summary, indent=2) + "\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--part", choices=("corpus", "newsbench", "both", "guard", "date-dev", "meta-dev"), default="both"
    )
    parser.add_argument("--limit", type=int, default=None, help="only the first N pages of each part")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--half", choices=("A", "B"), default=None, help="one half of the sites only")
    args = parser.parse_args()
    if args.part in ("guard", "date-dev", "meta-dev"):
        _guard(args.limit, args.workers, args.part)
        return
    results = json.loads(RESULTS_FILE.read_text()) if RESULTS_FILE.exists() else {}
    if args.part in ("corpus", "both"):
        results["corpus"] = _corpus(args.limit, args.workers, args.half)
    if args.part in ("newsbench", "both"):
        results["newsbench"] = _newsbench(args.limit, args.workers, args.half)
    if args.half:
        return  # a half is a development figure, not the one the results file keeps
    results = {key: results[key] for key in ("corpus", "newsbench") if key in results}
    RESULTS_FILE.parent.mkdir(parents=True, exist_ok=True)
    RESULTS_FILE.write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()
