"""Titles, authors and publication days on the guard set (bench/data/guard_meta.jsonl): 80 corpus
article pages labelled by hand, from hosts that are not in newsbench (docs/extraction-log.md, "Guard set
(session 9)"). Ours (the generic path) and plain trafilatura run on the same decoded page in the same
run; each answer is scored with newsbench's comparison (``newsbench.metadata_scores``), overall, per
language and per kind, with the pages marked uncertain apart.

No per-page listing on purpose: the set checks rules written elsewhere, it is not a page list to tune on.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from statistics import fmean

from bench import newsbench
from bench.newsbench import METADATA_MEASURES, Answer

GUARD_FILE = Path(__file__).resolve().parent / "data" / "guard_meta.jsonl"
CORPUS_DIR = Path(__file__).resolve().parents[2] / "shared" / "corpus"

EXTRACTORS: dict[str, Callable[[str, str], Answer]] = {
    "plain trafilatura": newsbench.plain_trafilatura,
    "newsflow": newsbench.newsflow,  # the generic path, publisher parsers off
}


def load_pages(path: Path = GUARD_FILE, limit: int | None = None) -> list[dict]:
    """The labelled pages; the file's first line is a header object (selection, conventions), skipped."""
    with path.open(encoding="utf-8") as lines:
        rows = [json.loads(line) for line in lines if line.strip()]
    return [row for row in rows if "header" not in row][:limit]


def run_page(page: dict, corpus_dir: Path = CORPUS_DIR) -> dict[str, tuple[float, Answer]]:
    """Ours and plain trafilatura on one page: (seconds, answer) by name. Picklable for a process pool."""
    return newsbench.run_page(page, corpus_dir, EXTRACTORS)


def page_scores(page: dict, answer: Answer) -> dict[str, float | None]:
    """A measure whose reference is null (the date development set labels days only) is None: not scored."""
    scores = newsbench.metadata_scores(page["title"] or "", page["authors"], page["published_at"], answer)
    if page["title"] is None:
        scores["title exact"] = None
    if page["authors"] is None:
        scores["authors exact"] = scores["authors F1"] = None
    return scores


def _means(rows: list[dict[str, float | None]]) -> dict[str, float]:
    return {
        m: round(fmean(v), 4) for m in METADATA_MEASURES if (v := [r[m] for r in rows if r[m] is not None])
    }


def summarise(pages: list[dict], results: list[dict[str, tuple[float, Answer]]]) -> dict:
    """Mean of each measure per extractor for the certain pages, the uncertain ones and all, then per
    language and per kind (all pages)."""
    names = list(results[0]) if results else []
    pairs = list(zip(pages, results, strict=True))
    scores = {name: [page_scores(page, result[name][1]) for page, result in pairs] for name in names}

    def group(indices: list[int]) -> dict:
        return {"pages": len(indices), **{name: _means([scores[name][i] for i in indices]) for name in names}}

    def by(key: str) -> dict[str, dict]:
        groups: dict[str, list[int]] = defaultdict(list)
        for i, page in enumerate(pages):
            groups[page[key]].append(i)
        ordered = sorted(groups.items(), key=lambda item: (-len(item[1]), item[0]))
        return {value: group(indices) for value, indices in ordered}

    everything = list(range(len(pages)))
    return {
        "pages": len(pages),
        "certain": group([i for i in everything if not pages[i]["uncertain"]]),
        "uncertain": group([i for i in everything if pages[i]["uncertain"]]),
        "all": group(everything),
        "languages": by("language"),
        "kinds": by("kind"),
    }


def _cell(value: float | None) -> str:
    return f"{value:.3f}" if value is not None else "    -"


def print_summary(summary: dict, label: str = "guard set") -> None:
    names = [key for key in summary["all"] if key != "pages"]
    print(f"{label}: {summary['pages']} pages (title / authors exact / authors F1 / date day)")
    print(f"{'':<22}{'pages':>6}" + "".join(f"{name:>36}" for name in names))

    def row(label: str, cells: dict) -> None:
        measures = ("title exact", "authors exact", "authors F1", "date day")
        # "    -": a measure with no labelled page in the group (the development sets label part only)
        values = ["  ".join(_cell(cells[n].get(m)) for m in measures) for n in names]
        print(f"{label:<22}{cells['pages']:>6}" + "".join(f"{v:>36}" for v in values))

    for part in ("certain", "uncertain", "all"):
        row(part, summary[part])
    for key, title in (("languages", "language"), ("kinds", "kind")):
        for value, cells in summary[key].items():
            row(f"  {title} {value}", cells)
