"""The publication day a page shows next to its headline (the "date line"), read from the text around it.

Metadata (JSON-LD, meta tags, ``<time>``) is where ``ingest/metadata.py`` looks first; many small sites
give none, or a date that is not the one they show (a re-save of the page, a UTC instant whose day
is not the page's day). The date line is the date written nearest to the headline element: up to
``AFTER_HEADLINE_CHARS`` of visible text after it (byline row, date line under the standfirst) and
``BEFORE_HEADLINE_CHARS`` before it (a date above the headline). Only the nodes next to the headline
are read (``ingest/near_headline.py``, the walk the byline readers share: no second parse, no walk over
the page). Forms read (``ingest/dates.written_days``; docs/extraction-log.md, "Session 9: publication dates"):

- month names of ``ingest/dates.MONTHS`` (one table for every language): "1. November 2023",
  "26, Abril, 2022", "7 kwietnia 2021", "Viernes 29 de Abril de 2022", "Oct 24, 2023",
  "December 29th 2019", "Dezember 10, 2019";
- numeric dates: "01.11.2023" and "31.10.23" (dots: always day first), "2022-04-26",
  "11/01/2023" (slashes: day first unless the page is US English, see ``month_first``);
- a date just after an "updated"/"geändert" label (modification) or an "Ausgabe"/"edition" label
  (print edition) is not read.

How the date is chosen (``publication_date``; figures per rule in docs/extraction-log.md):

1. no metadata date: the nearest date around the headline, before trafilatura's guess (htmldate,
   which takes a related item's or the body's date when it cannot read the date line);
2. the metadata's day is shown around the headline: the metadata (it has the time and offset);
3. the metadata sources disagree on the day: the first source whose day is shown after the headline;
4. otherwise the nearest date after the headline, when it stands on a date line (a short text node,
   not a sentence or a caption) and is not the page's modification day: the page shows another
   day than its metadata (a re-saved page, a UTC instant whose day is not the page's local day).
   Dates above the headline do not overrule metadata there: that is where site headers show
   today's date or the print edition's.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import date, datetime
from typing import NamedTuple

from ingest.dates import written_days
from ingest.near_headline import NearHeadline

AFTER_HEADLINE_CHARS = 400
"""Visible text read after the headline: the byline row, a standfirst and the date line under it
(the longest distance on the date development set is ~300 characters, a press release's
"Datum: ..." line under its standfirst)."""

BEFORE_HEADLINE_CHARS = 120
"""Visible text read before the headline: a date line above it ("02 Feb. 2022", "12.12.2022 12:22"),
after the kicker. Further up are menus, tickers and the site header's current date."""

LABEL_CHARS = 30
"""A date whose preceding characters (this many) name an update or a print edition is not the
publication date ("Zuletzt geändert: ...", "Aus: Ausgabe vom ...")."""

MAX_DATE_LINE_CHARS = 60
"""A date line is a text node of at most this many characters ("Von Jan Beispiel | 24.10.2023,
15:25 Uhr"); a date in a longer one is in a sentence or a photo caption."""

_NOT_PUBLISHED_LABEL = re.compile(
    r"(?:updated?|modified|geändert|aktualisiert|actualizad[oa]|mis à jour|modifié|aggiornat[oa]|"
    r"zaktualizowano|bijgewerkt|atualizad[oa]|ausgabe|edition|édition|edición|edizione|issue)\b[^0-9]*$",
    re.IGNORECASE,
)


def month_first(lang: str | None, locale: str | None) -> bool:
    """Slashed numeric dates are month first only on US English pages: the page declares English
    without a region or with the US one (html lang "en"/"en-US", og:locale "en_US"); every other
    language and English region (en-GB, en-AU, ...) writes the day first."""
    declared = (locale or lang or "").replace("_", "-").casefold()
    return declared in ("en", "en-us")


def _dates(text: str, us: bool) -> Iterator[tuple[int, date, int]]:
    """(position, day, length of its line) of every publication-like date in the text; modification
    and print-edition dates left out."""
    for start, end, value in written_days(text, us):
        if not _NOT_PUBLISHED_LABEL.search(text[max(0, start - LABEL_CHARS) : start]):
            line_start = text.rfind("\n", 0, start) + 1
            line_end = text.find("\n", end)
            yield start, value, (len(text) if line_end < 0 else line_end) - line_start


class NearDate(NamedTuple):
    """A date written around the headline."""

    day: date
    date_line: bool  # on a short text node (a byline row, a date element), not in a sentence or caption
    after: bool  # after the headline (byline row, date line), not above it


def dates_near(near: NearHeadline, us: bool = False) -> list[NearDate]:
    """The dates written around the headline, nearest first (after it first when equally near);
    ``us``: slashed dates month first (``month_first``)."""
    after = near.text_after(AFTER_HEADLINE_CHARS)
    before = near.text_before(BEFORE_HEADLINE_CHARS)
    found = [
        (start, NearDate(day, line <= MAX_DATE_LINE_CHARS, True)) for start, day, line in _dates(after, us)
    ]
    found += [
        (len(before) - start, NearDate(day, line <= MAX_DATE_LINE_CHARS, False))
        for start, day, line in _dates(before, us)
    ]
    return [near for _distance, near in sorted(found, key=lambda item: item[0])]


def _midnight(day: date) -> datetime:
    return datetime(day.year, day.month, day.day)


def publication_date(
    metadata: list[datetime],
    near: Callable[[], list[NearDate]],
    fallback: Callable[[], datetime | None],
    modified: datetime | None = None,
) -> datetime | None:
    """The publication date from the page's metadata dates (in source order), the dates written around
    its headline (``dates_near``, read only here), trafilatura's guess (``fallback``, made only when
    neither gives a date: htmldate's search is costly) and the metadata's modification date, by the
    rules of the module doc."""
    shown = near()
    if not metadata:
        return _midnight(shown[0].day) if shown else fallback()
    first = metadata[0]
    if first.date() in {s.day for s in shown}:
        return first
    after = [s for s in shown if s.after]
    if len({m.date() for m in metadata}) > 1:
        after_days = {s.day for s in after}
        agreeing = next((m for m in metadata if m.date() in after_days), None)
        if agreeing is not None:
            return agreeing
    if modified is not None and modified.date() != first.date():
        after = [s for s in after if s.day != modified.date()]
    if after and after[0].date_line:
        return _midnight(after[0].day)
    return first
