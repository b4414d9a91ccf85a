"""Article quality on ../shared/newsbench (252 hand-checked news pages): body, title, authors, date, language.

Every extractor runs on the same decoded page in the same run; each answer is reduced to a
``Answer`` (text, title, authors, published day, language) and scored against the page's hand-checked
values. The measures are defined in docs/extraction.md ("How it is measured").
"""

from __future__ import annotations

import difflib
import gzip
import hashlib
import json
import re
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from pathlib import Path
from statistics import fmean
from urllib.parse import urlsplit

import trafilatura

from ingest import publisher_parsers
from ingest.decode import decode_html
from ingest.extract import Extracted, Rejection, extract_article
from ingest.language import detect_language, normalise_language

NEWSBENCH_DIR = Path(__file__).resolve().parents[2] / "shared" / "newsbench"

# The paragraph marker is a token of its own: an extractor that merges or splits paragraphs loses
# the marker matches (that is what makes the body measure paragraph-aware).
_PARAGRAPH_MARK = "\x00"
_WORD = re.compile(r"\w+")
# How plain extractors' single author strings are split (the newsbench README's rule).
_AUTHOR_SPLIT = re.compile(r";|,|\s+and\s+")


@dataclass(frozen=True)
class Answer:
    """What one extractor said about one page."""

    text: str  # paragraphs separated by newlines
    title: str | None
    authors: tuple[str, ...]
    published: datetime | None
    language: str | None


MEASURES = ("body F1", "body bag F1", "title exact", "authors F1", "authors exact", "date day", "language")


def _split(author: str | None) -> tuple[str, ...]:
    return tuple(a.strip() for a in _AUTHOR_SPLIT.split(author or "") if a.strip())


def _iso(value: str | None) -> datetime | None:
    try:
        return datetime.fromisoformat(value) if value else None
    except ValueError:
        return None


def plain_trafilatura(html: str, url: str) -> Answer:
    """The newsbench README's call: trafilatura 2.3.1 with metadata, comments left out."""
    doc = trafilatura.bare_extraction(html, url=url, include_comments=False, with_metadata=True)
    if doc is None:
        return Answer("", None, (), None, None)
    return Answer(
        doc.text or "", doc.title, _split(doc.author), _iso(doc.date), normalise_language(doc.language)
    )


def plain_rs_trafilatura(html: str, url: str) -> Answer:
    """rs-trafilatura's default ``extract`` (its page classifier picks the profile)."""
    import rs_trafilatura  # optional: the row is left out when the package is not installed

    doc = rs_trafilatura.extract(html, url=url)
    return Answer(
        doc.main_content or "",
        doc.title,
        _split(doc.author),
        _iso(doc.date),
        normalise_language(doc.language),
    )


def newsflow(html: str, url: str) -> Answer:
    # the generic path, whatever the setting
    return _answer(extract_article(html, url, publisher_parsers=False))


def newsflow_with_publisher_parsers(html: str, url: str) -> Answer:
    """The generic path plus fundus's parser where it covers the site (in-sample on newsbench: its
    references are those parsers' outputs)."""
    return _answer(extract_article(html, url, publisher_parsers=True))


def _answer(result: Extracted | Rejection) -> Answer:
    """What newsflow's event would carry; a rejected page answers nothing."""
    if not isinstance(result, Extracted):
        return Answer("", None, (), None, None)
    # the event's language: detected on the text, the page's own declaration as the hint (ingest/enrich.py)
    language = detect_language(result.text, result.language)
    return Answer(result.text, result.title, result.authors, result.published_at, language)


def available_extractors() -> dict[str, Callable[[str, str], Answer]]:
    extractors: dict[str, Callable[[str, str], Answer]] = {"plain trafilatura": plain_trafilatura}
    try:
        import rs_trafilatura  # noqa: F401
    except ImportError:
        pass
    else:
        extractors["plain rs-trafilatura"] = plain_rs_trafilatura
    extractors["newsflow"] = newsflow
    if publisher_parsers.available():  # the column appears when fundus is installed (--with-fundus)
        extractors["newsflow + publisher parsers"] = newsflow_with_publisher_parsers
    return extractors


def site_half(url: str) -> str:
    """ "A" or "B": which half of the sites a page's host falls in (a stable hash, "www." ignored), so
    that rules can be developed on one half and checked on the other (held-out sites)."""
    host = urlsplit(url).netloc.lower().removeprefix("www.")
    return "AB"[hashlib.md5(host.encode()).digest()[0] % 2]


def load_pages(limit: int | None = None) -> list[dict]:
    with (NEWSBENCH_DIR / "pages.jsonl").open(encoding="utf-8") as lines:
        return [json.loads(line) for line in lines][:limit]


def reference_paragraphs(page: dict) -> list[str]:
    body = page["body"]
    paragraphs = list(body["summary"])
    for section in body["sections"]:
        paragraphs += section["headline"] + section["paragraphs"]
    return [p for p in paragraphs if p.strip()]


def run_page(
    page: dict,
    base_dir: Path = NEWSBENCH_DIR,
    extractors: dict[str, Callable[[str, str], Answer]] | None = None,
) -> dict[str, tuple[float, Answer]]:
    """Every extractor (default: all available ones) on one page under ``base_dir``: (seconds, answer) by
    extractor name. Picklable for a process pool."""
    html = decode_html(gzip.decompress((base_dir / page["file"]).read_bytes()), None)
    answers = {}
    for name, extractor in (extractors or available_extractors()).items():
        started = time.perf_counter()
        try:
            answer = extractor(html, page["url"])
        except Exception:  # a crashing extractor scores as empty output on that page
            answer = Answer("", None, (), None, None)
        answers[name] = (time.perf_counter() - started, answer)
    return answers


def _tokens(paragraphs: list[str]) -> list[str]:
    tokens: list[str] = []
    for paragraph in paragraphs:
        tokens += [w.casefold() for w in _WORD.findall(paragraph)] + [_PARAGRAPH_MARK]
    return tokens


def _f1(matched: float, predicted: int, expected: int) -> float:
    if predicted == 0 and expected == 0:
        return 1.0
    if matched == 0:
        return 0.0
    precision, recall = matched / predicted, matched / expected
    return 2 * precision * recall / (precision + recall)


def body_f1(predicted: str, expected: list[str]) -> float:
    """Order- and paragraph-aware token F1: matches are difflib's matching blocks over the two word
    sequences with a marker token at each paragraph end (an approximation of their longest common
    subsequence)."""
    ours = _tokens([line for line in predicted.split("\n") if line.strip()])
    ref = _tokens(expected)
    matcher = difflib.SequenceMatcher(None, ref, ours, autojunk=False)
    matched = sum(block.size for block in matcher.get_matching_blocks())
    return _f1(matched, len(ours), len(ref))


def bag_f1(predicted: str, expected: list[str]) -> float:
    """Bag-of-words token F1 (the newsbench README's body number), for comparison with it."""
    ours = Counter(w.casefold() for w in _WORD.findall(predicted))
    ref = Counter(w.casefold() for w in _WORD.findall(" ".join(expected)))
    return _f1(sum((ours & ref).values()), sum(ours.values()), sum(ref.values()))


def _norm(text: str | None) -> str:
    return " ".join((text or "").split())


def _same_day(ours: datetime | None, expected: datetime) -> bool:
    if ours is None:
        return False
    if ours.tzinfo is not None and expected.tzinfo is not None:
        ours = ours.astimezone(expected.tzinfo)
    return ours.date() == expected.date()


@cache
def expected_language(page_id: str, text: str) -> str | None:
    """newsbench has no language label: the language of the hand-checked body, by the same detector."""
    return detect_language(text)


METADATA_MEASURES = ("title exact", "authors F1", "authors exact", "date day")


def metadata_scores(
    title: str, authors: list[str] | None, published_at: str | None, answer: Answer
) -> dict[str, float | None]:
    """Title, authors and day of one answer against reference values (newsbench's or the guard set's):
    title exact after whitespace normalisation, authors as a set of normalised names, the day in the
    reference's time zone when both carry one. "date day" is None when the reference has no date."""
    ref_authors = {_norm(a) for a in authors or ()}
    ours_authors = {_norm(a) for a in answer.authors}
    expected_date = _iso(published_at)
    return {
        "title exact": float(_norm(answer.title) == _norm(title)),
        "authors F1": _f1(len(ours_authors & ref_authors), len(ours_authors), len(ref_authors)),
        "authors exact": float(ours_authors == ref_authors),
        "date day": None if expected_date is None else float(_same_day(answer.published, expected_date)),
    }


def page_scores(page: dict, answer: Answer) -> dict[str, float | None]:
    """Each measure on one page; None where the page has no reference value (excluded from the mean)."""
    paragraphs = reference_paragraphs(page)
    return {
        "body F1": body_f1(answer.text, paragraphs),
        "body bag F1": bag_f1(answer.text, paragraphs),
        **metadata_scores(page["title"], page["authors"], page["published_at"], answer),
        "language": float(answer.language == expected_language(page["id"], "\n".join(paragraphs))),
    }


def summarise(pages: list[dict], results: list[dict[str, tuple[float, Answer]]]) -> dict:
    """Mean of each measure per extractor, overall and per country, plus CPU seconds per page."""
    names = list(results[0]) if results else []
    per_page = {
        name: [page_scores(p, r[name][1]) for p, r in zip(pages, results, strict=True)] for name in names
    }
    by_country: dict[str, list[int]] = defaultdict(list)
    for i, page in enumerate(pages):
        by_country[page["country"]].append(i)

    def means(rows: list[dict[str, float | None]]) -> dict[str, float]:
        return {m: round(fmean(v), 4) for m in MEASURES if (v := [r[m] for r in rows if r[m] is not None])}

    return {
        "pages": len(pages),
        "overall": {name: means(per_page[name]) for name in names},
        "ms_per_page": {name: round(1000 * fmean(r[name][0] for r in results), 1) for name in names},
        "countries": {
            country: {"pages": len(idx), **{name: means([per_page[name][i] for i in idx]) for name in names}}
            for country, idx in sorted(by_country.items(), key=lambda item: (-len(item[1]), item[0]))
        },
    }


def print_summary(summary: dict) -> None:
    names = list(summary["overall"])
    print(f"newsbench: {summary['pages']} pages")
    print(f"{'measure':<16}" + "".join(f"{name:>30}" for name in names))
    for measure in MEASURES:
        print(f"{measure:<16}" + "".join(f"{summary['overall'][n].get(measure, 0):>30.3f}" for n in names))
    print(f"{'ms per page':<16}" + "".join(f"{summary['ms_per_page'][n]:>30.1f}" for n in names))
    short = ("body F1", "title exact", "authors exact", "date day")
    print("per country (body F1 / title / authors exact / date day):")
    for country, row in summary["countries"].items():
        cells = ["/".join(f"{row[n].get(m, 0):.2f}" for m in short) for n in names]
        print(f"  {country:<4}{row['pages']:>4}  " + "   ".join(f"{c:>30}" for c in cells))
