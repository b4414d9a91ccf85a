"""Candidate same-event pairs among the real pages of the stories' labelled set, for reading by hand.

Run: ``.venv/bin/python -m bench.stories_candidates [--by-date] [--limit 200]``. It uses neither the
clusterer nor its features, so it also finds the pairs the clusterer misses (another language, other
words): over every pair of the newsbench and corpus pages (the events cached by
``bench.stories_labels``),

- shared rare entity ids: places by GeoNames id, ``person:``/``org:`` ids (the same in every language
  the pipeline links), each weighted by its IDF over the pages, kept when the id is on RARE_PAGES or
  fewer pages;
- shared rare capitalised words and numbers of the title and lead (names the NER does not cover:
  German, Spanish and Portuguese pages have places only), same rule;
- publication dates: a pair published within NEAR_DAYS days needs a summed IDF of NEAR_SCORE, any
  other pair FAR_SCORE (a wrong or missing date must not hide a real pair).

``--by-date`` prints instead every page that has another page within NEAR_DAYS days, in date order,
with title and lead: reading that list is reading every same-days pair, whatever they share.
Pairs already in ``REAL_GROUPS`` are marked ``[labelled]``.
"""

from __future__ import annotations

import argparse
import itertools
import math
import re
from collections import Counter
from dataclasses import dataclass

from bench.stories_labels import REAL_GROUPS, build
from schemas.article import ArticleEvent

RARE_PAGES = 8
"""An entity or word on more pages than this is a topic ("Berlin", "Trump"), not a clue to one event."""

NEAR_DAYS = 3
NEAR_SCORE = 8.0
"""Summed IDF a same-days pair needs: about two rare clues (one clue on 8 of 1,136 pages weighs ~5)."""
FAR_SCORE = 30.0
"""Summed IDF any pair needs: six or more rare clues shared by pages whatever their dates."""

LEAD_CHARS = 1500
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class Page:
    key: str
    event: ArticleEvent
    clues: frozenset[str]


def clues(event: ArticleEvent) -> frozenset[str]:
    """Entity ids, and capitalised words (4+ letters) and numbers (3+ digits, not a year) of the lead."""
    found = {f"id:{e.id}" for e in event.entities if e.id}
    lead = f"{event.title or ''} {event.text[:LEAD_CHARS]}"
    for word in _WORD.findall(lead):
        if word[0].isupper() and len(word) >= 4:
            found.add(word.casefold())
        elif word.isdigit() and len(word) >= 3 and not 1900 <= int(word) <= 2030:
            found.add(word)
    return frozenset(found)


def pages() -> list[Page]:
    """The real pages (newsbench, corpus) of the labelled set, once each."""
    return [Page(item.key, item.event, clues(item.event)) for item in build() if item.key]


def candidates(found: list[Page]) -> list[tuple[float, bool, Page, Page, list[str]]]:
    df = Counter(clue for page in found for clue in page.clues)
    idf = {clue: math.log(len(found) / count) for clue, count in df.items()}
    pairs = []
    for a, b in itertools.combinations(found, 2):
        shared = sorted((c for c in a.clues & b.clues if df[c] <= RARE_PAGES), key=lambda c: -idf[c])
        if not shared:
            continue
        score = sum(idf[c] for c in shared)
        gap = abs(a.event.published_at - b.event.published_at).total_seconds() / 86400
        near = gap <= NEAR_DAYS
        if score >= (NEAR_SCORE if near else FAR_SCORE):
            pairs.append((score, near, a, b, shared))
    return sorted(pairs, key=lambda p: -p[0])


def _line(page: Page) -> str:
    lead = " ".join(page.event.text.split())[:200]
    day = page.event.published_at.date().isoformat()
    return f"   {day} {page.event.language} {page.key[-24:]} | {(page.event.title or '')[:90]} || {lead}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--by-date", action="store_true")
    parser.add_argument("--limit", type=int, default=1000)
    args = parser.parse_args()
    found = pages()
    labelled = {member: name for name, members in REAL_GROUPS.items() for member in members}
    if args.by_date:
        found.sort(key=lambda p: p.event.published_at)
        times = [p.event.published_at for p in found]
        for i, page in enumerate(found):
            near = [t for j, t in enumerate(times) if j != i and abs((t - times[i]).days) <= NEAR_DAYS]
            if near:
                print(_line(page))
        return
    pairs = candidates(found)
    print(f"{len(found)} pages, {len(pairs)} candidate pairs ({sum(1 for p in pairs if p[1])} within days)")
    for n, (score, near, a, b, shared) in enumerate(pairs[: args.limit]):
        same = labelled.get(a.key) is not None and labelled.get(a.key) == labelled.get(b.key)
        print(f"#{n} score={score:.0f} near={near}{' [labelled]' if same else ''} shared={shared[:8]}")
        print(_line(a))
        print(_line(b))


if __name__ == "__main__":
    main()
