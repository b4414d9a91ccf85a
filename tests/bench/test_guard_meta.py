"""The guard set's loader and scorer, on a made-up two-page file (not corpus pages)."""

from __future__ import annotations

import gzip
import json
from datetime import datetime, timedelta, timezone

from bench import guard_meta
from bench.newsbench import Answer

_PAGES = [
    {
        "id": "guard_01",
        "rank": 0,
        "file": "html/one.html.gz",
        "url": "https://example.org/news/harbour-reopens",
        "host": "example.org",
        "language": "en",
        "kind": "news",
        "title": "Harbour reopens after the storm",
        "authors": ["Ada Lovelace", "dpa"],
        "published_at": "2024-03-05",
        "uncertain": False,
        "note": "",
    },
    {
        "id": "guard_02",
        "rank": 3,
        "file": "html/two.html.gz",
        "url": "https://example.net/blog/allotment",
        "host": "example.net",
        "language": "de",
        "kind": "blog",
        "title": "Der Kleingarten im März",
        "authors": [],
        "published_at": None,
        "uncertain": True,
        "note": "no date shown",
    },
]

_HTML = """<html><head><title>Harbour reopens after the storm | Example News</title></head><body>
<article><h1>Harbour reopens after the storm</h1><p class="byline">By Ada Lovelace</p>
<p>The harbour of the small town reopened on Tuesday after a week of repairs to the quay walls,
the port authority said. Fishing boats were the first to return to their moorings.</p></article>
</body></html>"""


def _write_guard_file(tmp_path) -> None:
    lines = [json.dumps({"header": {"pages": 2}}), *(json.dumps(page) for page in _PAGES)]
    (tmp_path / "guard.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_load_pages_skips_the_header_and_keeps_the_order(tmp_path):
    _write_guard_file(tmp_path)

    pages = guard_meta.load_pages(tmp_path / "guard.jsonl")

    assert [page["id"] for page in pages] == ["guard_01", "guard_02"]
    assert guard_meta.load_pages(tmp_path / "guard.jsonl", limit=1)[0]["title"] == _PAGES[0]["title"]


def test_page_scores_compare_title_authors_and_day():
    cest = timezone(timedelta(hours=2))
    right = Answer(
        "",
        "Harbour  reopens after\nthe storm",
        ("Ada Lovelace", "dpa"),
        datetime(2024, 3, 5, 23, 30, tzinfo=cest),
        "en",
    )
    half = Answer(
        "", "Harbour reopens after the storm | Example News", ("Ada Lovelace",), datetime(2024, 3, 6), "en"
    )

    assert guard_meta.page_scores(_PAGES[0], right) == {
        "title exact": 1.0,
        "authors F1": 1.0,
        "authors exact": 1.0,
        "date day": 1.0,
    }
    scores = guard_meta.page_scores(_PAGES[0], half)
    assert scores["title exact"] == 0.0
    assert scores["authors exact"] == 0.0
    assert abs(scores["authors F1"] - 2 / 3) < 1e-9
    assert scores["date day"] == 0.0
    # no reference date: the day is not scored; nobody credited and nobody found is exact
    empty = guard_meta.page_scores(_PAGES[1], Answer("", "Der Kleingarten im März", (), None, "de"))
    assert empty == {"title exact": 1.0, "authors F1": 1.0, "authors exact": 1.0, "date day": None}


def test_summarise_keeps_uncertain_pages_apart():
    good = Answer("", _PAGES[0]["title"], ("Ada Lovelace", "dpa"), datetime(2024, 3, 5), "en")
    wrong = Answer("", "Example Blog", ("admin",), datetime(2024, 3, 1), "de")
    results = [{"ours": (0.01, good)}, {"ours": (0.01, wrong)}]

    summary = guard_meta.summarise(_PAGES, results)

    assert summary["certain"]["pages"] == 1
    assert summary["certain"]["ours"]["title exact"] == 1.0
    assert summary["uncertain"]["ours"] == {"title exact": 0.0, "authors F1": 0.0, "authors exact": 0.0}
    assert summary["all"]["ours"]["title exact"] == 0.5
    assert summary["all"]["ours"]["date day"] == 1.0  # only the dated page counts for the day
    assert list(summary["languages"]) == ["de", "en"]


def test_run_page_answers_for_every_extractor(tmp_path):
    (tmp_path / "html").mkdir()
    (tmp_path / "html" / "one.html.gz").write_bytes(gzip.compress(_HTML.encode("utf-8")))

    answers = guard_meta.run_page(_PAGES[0], corpus_dir=tmp_path)

    assert set(answers) == set(guard_meta.EXTRACTORS)
    plain = answers["plain trafilatura"][1]
    assert plain.title is not None and "Harbour reopens" in plain.title
