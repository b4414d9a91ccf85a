"""The labelled set of ``bench.stories``: articles built by the real core (extraction, NER) from pages,
each with its duplicate group and story group, cached as events.

- The simulated syndication (``flows/sim_site/syndicate.py``): per newsbench article, the wire original,
  two copies (duplicates) and a rewrite (same story), plus the article's own newsbench page (a copy
  with the publisher's real boilerplate).
- Real story groups found by hand in ``../shared/newsbench`` and ``../shared/corpus``: REAL_GROUPS.
- Every other newsbench and corpus page: a distractor (its own group), many on the same topics
  (elections, Gaza, Ukraine, Trump, football) as the groups.
"""

from __future__ import annotations

import gzip
import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from flows.sim_site.corpus import corpus_dir
from flows.sim_site.syndicate import load_articles, newsbench_dir, render_html, variants
from ingest.core import ArticleBuilder
from ingest.page import RawPage
from schemas.article import ArticleEvent
from schemas.settings import get_settings

SYNDICATED_GROUPS = 40
SIM_BASE = "http://sim.test"
STREAM_START = datetime(2024, 6, 1, tzinfo=UTC)
DISTRACTOR_STEP = timedelta(minutes=7)

# Real same-event groups, checked by reading the articles: newsbench ids, corpus files. How they were
# found (docs/benchmarks.md, "Stories"; independent of the clusterer): (1) every newsbench page and
# every corpus page with a date within 2 days of another page's, listed by date with title and lead
# and read in date order (252 + 650 pages, i.e. every same-days pair: 826 newsbench pairs within 3
# days and the corpus' crawl days); (2) every pair of the 1,136 pages sharing rare capitalised words or
# numbers (document frequency <= 8, summed IDF >= 8 within 3 days or >= 30 at any distance; 136
# pairs), read title + lead; (3) every pair sharing a rare entity id (place GeoNames ids, person:/org:
# ids from the events) or those words: bench/stories_candidates.py, 211 pairs, the 92 not in (2) read.
# 228 pairs read in all; 7 groups more than the previous search. One event, not one topic: pairs on
# one topic (Beijing Olympics previews, car leasing guides, Chile's security crisis, Brazil's election
# doubts) were left apart. Each group with the reason it is one event:
REAL_GROUPS: dict[str, tuple[str, ...]] = {
    # Andrew Fahie arrested in Miami by the DEA, 28 April 2022 (two Caribbean outlets).
    "bvi-premier-arrest": ("html/ee1df87607462cc3.html.gz", "html/e680d2cbbe70e23c.html.gz"),
    # Boric's trip to Magallanes starting Wednesday 4 May 2022 (two Chilean outlets, one EFE).
    "boric-magallanes-trip": ("html/e67cc9744614938b.html.gz", "html/3c273235261ad24c.html.gz"),
    # The gun owners' forum's statement after the Heidelberg university shooting, 25 January 2022.
    "heidelberg-shooting-fwr": ("html/c24137de582789d5.html.gz", "html/acacd2c8eee63aef.html.gz"),
    # Parliament postpones the Brexit-deal vote (Letwin amendment), Saturday 19 October 2019.
    "brexit-vote-postponed": ("html/2c3f26186495201c.html.gz", "html/57c41ea3e9818ea1.html.gz"),
    # The same blog post crawled twice: a real duplicate.
    "mymarini-interview": ("html/f30b5a3d9bd2300d.html.gz", "html/89bcf8645f3fee0e.html.gz"),
    # The US operation that captured Maduro, 3 January 2026, and its first reactions (UN Security
    # Council, North Korea, the oil plans, the tracksuit), in German, French, English and Norwegian.
    "venezuela-maduro-2026-01": (
        "EuronewsDE_2026_01_06",
        "EuronewsFR_2026_01_06",
        "EuronewsEN_2026_01_06",
        "KlasseGegenKlasse_2026_01_07",
        "Dagbladet_2026_01_06",
    ),
    # The same taz commentary published twice (2023 and 2024): a real duplicate.
    "taz-selbstbestimmungsgesetz": ("Taz_2023_04_28", "Taz_2024_10_23"),
    # The M6.6-6.9 Hyuga-nada earthquake of 13 January 2025, 21:19, and its tsunami advisory (Japanese).
    "hyuganada-earthquake-2025-01-13": ("AsahiShimbun_2025_01_13", "ChunichiShimbun_2025_01_13"),
    # The KfW stops its efficient-buildings subsidy, 24 January 2022: the ministry's notice and a trade
    # association's reaction the next day.
    "kfw-subsidy-stop-2022-01": ("html/aeb5ed917bb1628a.html.gz", "html/8ba8bea486bbfd89.html.gz"),
    # VW's works meeting in Wolfsburg, early November 2021: the board's row with Diess before it, his
    # speech (Tesla, "Golf from China") at it.
    "vw-diess-works-meeting-2021-11": ("html/41beef99d022d44a.html.gz", "html/28dc74ba4a643e19.html.gz"),
    # Baden-Württemberg's Corona ordinance of 28 January 2022 lets handball clubs sell up to 3,000
    # tickets again (a club's and the regional federation's notice, 2 February 2022).
    "bw-handball-spectators-2022-02": ("html/146940c0ec5ac190.html.gz", "html/32c94ca84e509532.html.gz"),
    # Covid cases in Germany's Olympic team on arrival in Beijing before the opening, 2-4 February 2022.
    "beijing-2022-german-covid-cases": ("html/b890ecc4fdcc548c.html.gz", "html/b51cd66163d54cbb.html.gz"),
    # A car stolen in Chile found with a Bolivian border-police colonel, and the inquiry, 3-4 May 2022.
    "bolivia-stolen-cars-scandal-2022-05": (
        "html/5fc74ef6cbe75423.html.gz",
        "html/231f01f50610bfd2.html.gz",
    ),
    # Senate president Pacheco meets STF president Fux after Bolsonaro's pardon of Silveira, 3 May 2022
    # (a report and an analysis of the meeting).
    "pacheco-fux-meeting-2022-05": ("html/52ab0adab2d8e396.html.gz", "html/cef3f5f77db55d71.html.gz"),
}
REAL_COPIES = {
    "Taz_2024_10_23": "Taz_2023_04_28",
    "html/89bcf8645f3fee0e.html.gz": "html/f30b5a3d9bd2300d.html.gz",
}


@dataclass(frozen=True)
class Labelled:
    event: ArticleEvent
    duplicate_group: str
    story_group: str
    order: int
    key: str = ""  # a real page's newsbench id or corpus file; "" for a syndication variant


def _cache_file() -> Path:
    return get_settings().cache_dir / "bench-stories-events-v2.jsonl"


def _pages() -> list[tuple[RawPage, dict[str, object]]]:
    """Every labelled page and its cache row fields: ``key`` (the newsbench id or corpus file, or for a
    syndication variant the newsbench article it was made from), ``offset_s`` (a variant's delay after
    the wire original), ``dup``/``story`` (the simulated labels) and ``n`` (the page's place in the list,
    the stream time of a page without a date)."""
    fetched = datetime(2024, 6, 10, tzinfo=UTC)
    pages: list[tuple[RawPage, dict[str, object]]] = []
    for index, article in enumerate(load_articles(SYNDICATED_GROUPS)):
        made = variants(article, index)
        for variant in made:
            body = render_html(variant, SIM_BASE, language=article.language)
            page = RawPage(SIM_BASE + variant.path, body, fetched, variant.outlet, "text/html; charset=utf-8")
            group = article.key if variant.role != "rewrite" else f"{article.key}/rewrite"
            offset = (variant.published_at - made[0].published_at).total_seconds()
            pages.append((page, {"key": article.key, "sim": True, "offset_s": offset, "dup": group}))
    for n, (key, url, file) in enumerate(_real_pages()):
        body = gzip.decompress(file.read_bytes())
        pages.append((RawPage(url, body, fetched, "bench"), {"key": key, "sim": False, "n": n}))
    return pages


def _real_pages() -> list[tuple[str, str, Path]]:
    """(key, url, file) of every newsbench and corpus page."""
    rows = [json.loads(line) for line in (newsbench_dir() / "pages.jsonl").read_text("utf-8").splitlines()]
    corpus = json.loads((corpus_dir() / "pages.json").read_text("utf-8"))
    return [(r["id"], r["url"], newsbench_dir() / r["file"]) for r in rows] + [
        (e["file"], e["url"], corpus_dir() / e["file"]) for e in corpus
    ]


def _newsbench_dates() -> dict[str, datetime]:
    """The hand-checked publication dates of the newsbench pages (where known)."""
    dates = {}
    for line in (newsbench_dir() / "pages.jsonl").read_text("utf-8").splitlines():
        row = json.loads(line)
        if row.get("published_at"):
            when = datetime.fromisoformat(row["published_at"])
            dates[row["id"]] = when if when.tzinfo else when.replace(tzinfo=UTC)
    return dates


def _real_labels(key: str, story: str | None = None) -> tuple[str, str]:
    """(duplicate group, story group) of a page whose own key or story label is ``key``/``story`` (labels
    are applied when reading the cache, so REAL_GROUPS can be edited without rebuilding it). A real
    group takes in the syndication variants of its members: they report the same event."""
    real = {member: name for name, members in REAL_GROUPS.items() for member in members}
    story = story or key
    return REAL_COPIES.get(key, key), real.get(story, story)


def build() -> list[Labelled]:
    """The labelled articles in stream order (built once, then read from the cache).

    Stream time: a real page's publication date as the pipeline extracted it (what the stage sees in
    production), else newsbench's hand-checked one;
    a syndication variant is published at its article's date plus its delay (copies 40 and 80 min,
    the rewrite 3 h later); a page without a date gets STREAM_START minus DISTRACTOR_STEP per page
    (3 corpus pages, late May 2024)."""
    cache = _cache_file()
    if not cache.exists():
        pages = _pages()
        builder = ArticleBuilder()
        results = []
        for start in range(0, len(pages), 64):
            chunk = pages[start : start + 64]
            results += builder.build_batch([p for p, _ in chunk])
        partial = cache.with_suffix(".partial")
        with partial.open("w", encoding="utf-8") as out:
            for (_, fields), result in zip(pages, results, strict=True):
                if isinstance(result, ArticleEvent):
                    out.write(json.dumps({"event": result.model_dump(mode="json"), **fields}) + "\n")
        partial.replace(cache)
    rows = [json.loads(line) for line in cache.read_text("utf-8").splitlines()]
    events = [ArticleEvent.model_validate(row["event"]) for row in rows]
    dated = _newsbench_dates()
    for row, event in zip(rows, events, strict=True):
        if not row["sim"] and event.published_at is not None:
            when = event.published_at
            dated[row["key"]] = when if when.tzinfo else when.replace(tzinfo=UTC)
    labelled = []
    for order, (row, event) in enumerate(zip(rows, events, strict=True)):
        key = row["key"]
        if row["sim"]:
            when = dated.get(key, STREAM_START) + timedelta(seconds=row["offset_s"])
            dup, story = row["dup"], _real_labels(key)[1]
        else:
            when = dated.get(key) or STREAM_START - DISTRACTOR_STEP * row["n"]
            dup, story = _real_labels(key)
        real_key = "" if row["sim"] else key
        labelled.append(
            Labelled(event.model_copy(update={"published_at": when}), dup, story, order, real_key)
        )
    return sorted(labelled, key=lambda item: (item.event.published_at, item.order))
