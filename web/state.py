"""The search page's whole state, read from and written to the URL (pure).

Every view is a URL: the query, sort, facet selections, date range, the page cursor and a comparison
query. Links on the page are this state with one change (a facet value added or removed, the dates
narrowed, the next page), so back/forward and sharing a link just work, with or without JavaScript.
Malformed or oversized parameters are dropped (and reported on the page), never sent on.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import Any
from urllib.parse import urlencode

from indexing.search import FACET_FIELDS, SearchRequest, Sort

# 500 characters: a long boolean query fits; more is not a reader's query.
MAX_QUERY_CHARS = 500
# Keyword values are at most 256 characters in the index (ignore_above in the mapping).
MAX_VALUE_CHARS = 256
# 20 selected values per facet: more is not a question a reader asks of a list of ten.
MAX_VALUES_PER_FACET = 20
# The cursor is the sort values of a hit: score, date, id (indexing.search._sort).
MAX_CURSOR_VALUES = 4
ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# Histogram bucket width from the date range shown: a month per bar over years, a week over months,
# a day over two months or less, so a click on a bar drills down to finer bars.
DAY_BUCKETS_UP_TO_DAYS = 62
WEEK_BUCKETS_UP_TO_DAYS = 731


@dataclass(frozen=True)
class SearchState:
    q: str = ""
    sort: Sort = "relevance"
    terms: dict[str, tuple[str, ...]] = field(default_factory=dict)
    since: str | None = None
    until: str | None = None
    after: list[Any] | None = None
    page: int = 1
    compare: str = ""
    problems: tuple[str, ...] = ()  # parameters dropped while reading the URL, shown to the reader

    @staticmethod
    def from_params(params: Iterable[tuple[str, str]]) -> SearchState:
        """Read the URL's query parameters (repeated keys allowed); bad values are dropped with a note."""
        problems: list[str] = []
        values: dict[str, list[str]] = {}
        for key, value in params:
            values.setdefault(key, []).append(value)

        def one(key: str) -> str:
            text = (values.get(key) or [""])[0].strip()
            if len(text) > MAX_QUERY_CHARS:
                problems.append(f"{key} cut to {MAX_QUERY_CHARS} characters")
                text = text[:MAX_QUERY_CHARS]
            return text

        terms = {}
        for name in FACET_FIELDS:
            chosen = [v for v in dict.fromkeys(values.get(name, [])) if v and len(v) <= MAX_VALUE_CHARS]
            if len(chosen) > MAX_VALUES_PER_FACET:
                problems.append(f"only the first {MAX_VALUES_PER_FACET} {name} are used")
            if chosen:
                terms[name] = tuple(chosen[:MAX_VALUES_PER_FACET])
        sort: Sort = "date" if one("sort") == "date" else "relevance"
        after = _cursor(one("after"), problems)
        return SearchState(
            q=one("q"),
            sort=sort,
            terms=terms,
            since=_day(one("since"), "since", problems),
            until=_day(one("until"), "until", problems),
            after=after,
            page=_page(one("page")) if after else 1,
            compare=one("cq"),
            problems=tuple(problems),
        )

    def params(self) -> list[tuple[str, str]]:
        """The state as query parameters (empty ones left out), in a stable order."""
        pairs: list[tuple[str, str]] = [("q", self.q)] if self.q else []
        if self.sort != "relevance":
            pairs.append(("sort", self.sort))
        for name in FACET_FIELDS:
            pairs.extend((name, value) for value in self.terms.get(name, ()))
        pairs += [(k, v) for k, v in (("since", self.since), ("until", self.until)) if v]
        if self.compare:
            pairs.append(("cq", self.compare))
        if self.after is not None:
            pairs += [("after", json.dumps(self.after, separators=(",", ":"))), ("page", str(self.page))]
        return pairs

    def url(self, path: str = "/") -> str:
        query = urlencode(self.params())
        return f"{path}?{query}" if query else path

    # --- the links of the page: this state with one change; a new filter starts at page 1 ----------
    def first_page(self, **changes: Any) -> SearchState:
        """This state at page 1 with ``changes`` (one ``replace``: a page builds hundreds of links)."""
        return replace(self, after=None, page=1, problems=(), **changes)

    def with_term(self, name: str, value: str) -> SearchState:
        chosen = self.terms.get(name, ())
        return self.first_page(terms={**self.terms, name: chosen if value in chosen else (*chosen, value)})

    def without_term(self, name: str, value: str) -> SearchState:
        terms = {**self.terms, name: tuple(v for v in self.terms.get(name, ()) if v != value)}
        return self.first_page(terms={k: v for k, v in terms.items() if v})

    def with_dates(self, since: str | None, until: str | None) -> SearchState:
        return self.first_page(since=since, until=until)

    def with_sort(self, sort: Sort) -> SearchState:
        return self.first_page(sort=sort)

    def next_page(self, cursor: list[Any]) -> SearchState:
        return replace(self, after=cursor, page=self.page + 1, problems=())

    def histogram_interval(self) -> str:
        """Bucket width for the date range in view (see DAY_BUCKETS_UP_TO_DAYS)."""
        if not (self.since and self.until):
            return "month"
        days = (date.fromisoformat(self.until) - date.fromisoformat(self.since)).days
        if days <= DAY_BUCKETS_UP_TO_DAYS:
            return "day"
        return "week" if days <= WEEK_BUCKETS_UP_TO_DAYS else "month"

    def request(self, size: int, **options: Any) -> SearchRequest:
        """The search of this state, built by indexing.search like the CLI's."""
        return SearchRequest(
            query=self.q,
            sort=self.sort,
            terms={name: list(values) for name, values in self.terms.items()},
            since=self.since,
            until=self.until,
            size=size,
            search_after=self.after,
            histogram_interval=self.histogram_interval(),
            **options,
        )


def _day(value: str, name: str, problems: list[str]) -> str | None:
    if not value:
        return None
    try:
        if ISO_DAY.match(value):
            return date.fromisoformat(value).isoformat()
    except ValueError:
        pass
    problems.append(f"{name} must be a day like 2024-05-31; ignored")
    return None


def _cursor(value: str, problems: list[str]) -> list[Any] | None:
    if not value:
        return None
    try:
        cursor = json.loads(value)
    except ValueError:
        cursor = None
    scalars = (str, int, float, type(None))
    if (
        isinstance(cursor, list)
        and 0 < len(cursor) <= MAX_CURSOR_VALUES
        and all(isinstance(v, scalars) and len(str(v)) <= MAX_VALUE_CHARS for v in cursor)
    ):
        return cursor
    problems.append("the page link was damaged; showing the first page")
    return None


def _page(value: str) -> int:
    return int(value) if value.isdigit() and 0 < int(value) < 1_000_000 else 1


def bucket_range(start: str, interval: str) -> tuple[str, str]:
    """The first and last day of a histogram bucket starting on ``start`` (a click narrows to it)."""
    first = date.fromisoformat(start)
    if interval == "day":
        last = first
    elif interval == "week":
        last = first + timedelta(days=6)
    else:
        next_month = date(first.year + first.month // 12, first.month % 12 + 1, 1)
        last = next_month - timedelta(days=1)
    return first.isoformat(), last.isoformat()
