"""The publication day a page shows next to its headline (the "date line"), read from the text around it.

Metadata (JSON-LD, meta tags, ``<time>``) is where ``ingest/metadata.py`` looks first; many small sites
give none, or a date that is not the one they show (a re-save of the page, a UTC instant whose day
is not the page's day). The date line is the date written nearest to the headline element: up to
``AFTER_HEADLINE_CHARS`` of visible text after it (byline row, date line under the standfirst) and
``BEFORE_HEADLINE_CHARS`` before it (a date above the headline). Only the nodes next to the headline
are read (no second parse, no walk over the page). Forms read (docs/extraction.md, "Session 9:
publication dates"):

- month names of ``ingest/dates.MONTHS`` (one table for every language): "1. November 2023",
  "26, Abril, 2022", "7 kwietnia 2021", "Viernes 29 de Abril de 2022", "Oct 24, 2023",
  "December 29th 2019", "Dezember 10, 2019";
- numeric dates: "01.11.2023" and "31.10.23" (dots: always day first), "2022-04-26",
  "11/01/2023" (slashes: day first unless the page is US English, see ``month_first``);
- a date just after an "updated"/"geändert" label is the modification date, not read.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import date, datetime

from lxml.html import HtmlElement

from ingest.dates import MONTHS, _by_first_letter, _safe_date

AFTER_HEADLINE_CHARS = 400
"""Visible text read after the headline: the byline row, a standfirst and the date line under it
(the longest distance on the date development set is ~300 characters, a press release's
"Datum: ..." line under its standfirst)."""

BEFORE_HEADLINE_CHARS = 120
"""Visible text read before the headline: a date line above it ("02 Feb. 2022", "12.12.2022 12:22"),
after the kicker. Further up are menus, tickers and the site header's current date."""

UPDATE_LABEL_CHARS = 30
"""A date whose preceding characters (this many) name an update is the modification date."""

_SKIPPED_TAGS = frozenset({"script", "style", "noscript", "template", "select", "option"})
_MONTH_WORD = _by_first_letter("|".join(sorted(MONTHS, key=len, reverse=True)))
_SEP = r"[\s,.]*(?:de\s+|of\s+)?"  # "26, Abril, 2022", "29 de Abril de 2022", "1. November 2023"
_DAY_NAME_YEAR = re.compile(
    rf"(?<![\w.])(\d{{1,2}})(?:st|nd|rd|th|er|º)?\.?{_SEP}({_MONTH_WORD})\.?{_SEP}(\d{{4}})(?!\d)", re.IGNORECASE
)
_NAME_DAY_YEAR = re.compile(
    rf"(?<!\w)({_MONTH_WORD})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})(?!\d)", re.IGNORECASE
)
_DOTTED = re.compile(r"(?<![\d.])(\d{1,2})\.\s?(\d{1,2})\.\s?(\d{4}|\d{2})(?![\d.])")
_SLASHED = re.compile(r"(?<![\d/])(\d{1,2})/(\d{1,2})/(\d{4})(?![\d/])")
_ISO = re.compile(r"(?<![\d-])(\d{4})-(\d{2})-(\d{2})(?![\d])")
_UPDATE_LABEL = re.compile(
    r"(?:updated?|modified|geändert|aktualisiert|actualizad[oa]|mis à jour|modifié|aggiornat[oa]|"
    r"zaktualizowano|bijgewerkt|atualizad[oa])\b[^0-9]*$",
    re.IGNORECASE,
)

MONTHS_IN_YEAR = 12
TWO_DIGIT_YEAR_PIVOT = 70
"""A two-digit year below this is 20xx ("31.10.23"), otherwise 19xx."""


def month_first(lang: str | None, locale: str | None) -> bool:
    """Slashed numeric dates are month first only on US English pages: the page declares English
    without a region or with the US one (html lang "en"/"en-US", og:locale "en_US"); every other
    language and English region (en-GB, en-AU, ...) writes the day first."""
    declared = (locale or lang or "").replace("_", "-").casefold()
    return declared in ("en", "en-us") or "noR3" in _RULES


def _texts(element: HtmlElement) -> Iterator[str]:
    """The element's visible text in document order, its own tail left out."""
    if not isinstance(element.tag, str) or element.tag in _SKIPPED_TAGS:
        return
    if element.text:
        yield element.text
    for child in element:
        yield from _texts(child)
        if child.tail:
            yield child.tail


def _after(headline: HtmlElement, budget: int) -> str:
    """Up to ``budget`` characters of visible text after the headline element, in document order."""
    parts: list[str] = []
    size = 0
    node: HtmlElement | None = headline
    while node is not None and size < budget:
        for text in (node.tail or "", *(t for sibling in node.itersiblings() for t in _all_texts(sibling))):
            parts.append(text)
            size += len(text.strip())
            if size >= budget:
                break
        node = node.getparent()
    return " ".join(" ".join(parts).split())[:budget]


def _all_texts(element: HtmlElement) -> Iterator[str]:
    yield from _texts(element)
    if element.tail:
        yield element.tail


def _before(headline: HtmlElement, budget: int) -> str:
    """Up to ``budget`` characters of visible text before the headline element, nearest last."""
    parts: list[str] = []
    size = 0
    node: HtmlElement | None = headline
    while node is not None and size < budget:
        for sibling in node.itersiblings(preceding=True):
            text = " ".join(_all_texts(sibling))
            parts.append(text)
            size += len(text.strip())
            if size >= budget:
                break
        parent = node.getparent()
        if parent is not None and parent.text and size < budget:
            parts.append(parent.text)
            size += len(parent.text.strip())
        node = parent
    return " ".join(" ".join(reversed(parts)).split())[-budget:]


def _year(text: str) -> int:
    year = int(text)
    if len(text) == 2:
        year += 2000 if year < TWO_DIGIT_YEAR_PIVOT else 1900
    return year


def _dates(text: str, us: bool) -> Iterator[tuple[int, date]]:
    """(position, day) of every publication-like date in the text; modification dates left out."""
    found: list[tuple[int, int, date | None]] = []
    for m in _DAY_NAME_YEAR.finditer(text):
        found.append((m.start(), m.end(), _safe_date(int(m[3]), MONTHS[m[2].casefold()], int(m[1]))))
    for m in _NAME_DAY_YEAR.finditer(text):
        found.append((m.start(), m.end(), _safe_date(int(m[3]), MONTHS[m[1].casefold()], int(m[2]))))
    for m in _DOTTED.finditer(text):
        found.append((m.start(), m.end(), _safe_date(_year(m[3]), int(m[2]), int(m[1]))))
    for m in _SLASHED.finditer(text):
        day, month = int(m[1]), int(m[2])
        if month > MONTHS_IN_YEAR or (us and day <= MONTHS_IN_YEAR):
            day, month = month, day
        found.append((m.start(), m.end(), _safe_date(int(m[3]), month, day)))
    for m in _ISO.finditer(text):
        found.append((m.start(), m.end(), _safe_date(int(m[1]), int(m[2]), int(m[3]))))
    taken: list[tuple[int, int]] = []
    for start, end, value in sorted(found, key=lambda item: item[0]):
        if value is None or any(start < t_end and t_start < end for t_start, t_end in taken):
            continue
        taken.append((start, end))
        if not _UPDATE_LABEL.search(text[max(0, start - UPDATE_LABEL_CHARS) : start]):
            yield start, value


def shown_dates(headline: HtmlElement | None, us: bool = False) -> list[date]:
    """The dates written around the headline element, nearest first (after it first when equally near)."""
    if headline is None:
        return []
    after = _after(headline, AFTER_HEADLINE_CHARS)
    before = _before(headline, BEFORE_HEADLINE_CHARS)
    candidates = [(start, value) for start, value in _dates(after, us)]
    candidates += [(len(before) - start, value) for start, value in _dates(before, us)]
    return [value for _distance, value in sorted(candidates, key=lambda item: item[0])]

import os  # noqa: E402  (experiment switch, removed before commit)

_RULES = set(os.environ.get("D14_RULES", "R1,R2").split(","))


def publication_date(
    metadata: datetime | None, shown: Callable[[], list[date]], fallback: datetime | None
) -> datetime | None:
    """The publication date from the page's metadata, its date line and trafilatura's guess."""
    if metadata is None:
        days = shown() if "R1" in _RULES else []
        return datetime(days[0].year, days[0].month, days[0].day) if days else fallback
    if "R2" in _RULES:
        days = shown()
        if days and metadata.date() not in days:
            return datetime(days[0].year, days[0].month, days[0].day)
    if "R4" in _RULES:
        days = shown()
        if days and metadata.utcoffset() is not None and not metadata.utcoffset() and abs((days[0] - metadata.date()).days) == 1 and metadata.date() not in days:
            return datetime(days[0].year, days[0].month, days[0].day)
    return metadata
