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

# Real same-event groups, checked by reading the articles: newsbench ids, corpus files. Only these
# seven: the 252 newsbench pages are one page per publisher spread over 2023-2026, and the corpus' 884
# pages come from unrelated sites, so few real pages report the same event. The corpus candidates were
# found by listing every pair the clusterer scored >= 0.2 at a low threshold and reading both; pairs
# on one topic but not one event (green hydrogen, car leasing, two Pacheco analyses) were left apart.
REAL_GROUPS: dict[str, tuple[str, ...]] = {
    "bvi-premier-arrest": ("html/ee1df87607462cc3.html.gz", "html/e680d2cbbe70e23c.html.gz"),
    "boric-magallanes-trip": ("html/e67cc9744614938b.html.gz", "html/3c273235261ad24c.html.gz"),
    "heidelberg-shooting-fwr": ("html/c24137de582789d5.html.gz", "html/acacd2c8eee63aef.html.gz"),
    "brexit-vote-postponed": ("html/2c3f26186495201c.html.gz", "html/57c41ea3e9818ea1.html.gz"),
    # The same blog post crawled twice: a real duplicate.
    "mymarini-interview": ("html/f30b5a3d9bd2300d.html.gz", "html/89bcf8645f3fee0e.html.gz"),
    # The US operation against Maduro, January 2026, in German, French and English.
    "venezuela-maduro-2026-01": (
        "EuronewsDE_2026_01_06",
        "EuronewsFR_2026_01_06",
        "EuronewsEN_2026_01_06",
        "KlasseGegenKlasse_2026_01_07",
    ),
    # The same taz commentary published twice (2023 and 2024): a real duplicate.
    "taz-selbstbestimmungsgesetz": ("Taz_2023_04_28", "Taz_2024_10_23"),
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


def _cache_file() -> Path:
    return get_settings().cache_dir / "bench-stories-events.jsonl"


def _pages() -> list[tuple[RawPage, str, str, datetime]]:
    """(page, duplicate group, story group, stream time) for every labelled page."""
    fetched = datetime(2024, 6, 10, tzinfo=UTC)
    pages, syndicated = [], {}
    for index, article in enumerate(load_articles(SYNDICATED_GROUPS)):
        syndicated[article.key] = index
        for variant in variants(article, index):
            body = render_html(variant, SIM_BASE, language=article.language)
            page = RawPage(SIM_BASE + variant.path, body, fetched, variant.outlet, "text/html; charset=utf-8")
            group = article.key if variant.role != "rewrite" else f"{article.key}/rewrite"
            pages.append((page, group, article.key, variant.published_at))
    rows = [json.loads(line) for line in (newsbench_dir() / "pages.jsonl").read_text("utf-8").splitlines()]
    corpus = json.loads((corpus_dir() / "pages.json").read_text("utf-8"))
    others = [(r["id"], r["url"], newsbench_dir() / r["file"]) for r in rows]
    others += [(e["file"], e["url"], corpus_dir() / e["file"]) for e in corpus]
    for n, (key, url, file) in enumerate(others):
        body = gzip.decompress(file.read_bytes())
        page = RawPage(url, body, fetched, "bench")
        if key in syndicated:
            when = variants(load_articles(SYNDICATED_GROUPS)[syndicated[key]], syndicated[key])[
                0
            ].published_at
            pages.append((page, key, key, when + timedelta(minutes=90)))
        else:
            pages.append((page, *_real_labels(key), STREAM_START - DISTRACTOR_STEP * n))
    return pages


def _real_labels(key: str, story: str | None = None) -> tuple[str, str]:
    """(duplicate group, story group) of a page whose own key or story label is ``key``/``story`` (labels
    are applied when reading the cache, so REAL_GROUPS can be edited without rebuilding it). A real
    group takes in the syndication variants of its members: they report the same event."""
    real = {member: name for name, members in REAL_GROUPS.items() for member in members}
    story = story or key
    return REAL_COPIES.get(key, key), real.get(story, story)


def _real_page_keys() -> dict[str, str]:
    """URL -> key (newsbench id, corpus file) of every real page."""
    rows = [json.loads(line) for line in (newsbench_dir() / "pages.jsonl").read_text("utf-8").splitlines()]
    corpus = json.loads((corpus_dir() / "pages.json").read_text("utf-8"))
    return {r["url"]: r["id"] for r in rows} | {e["url"]: e["file"] for e in corpus}


def build() -> list[Labelled]:
    """The labelled articles in stream order (built once, then read from the cache)."""
    cache = _cache_file()
    if not cache.exists():
        pages = _pages()
        builder = ArticleBuilder()
        results = []
        for start in range(0, len(pages), 64):
            chunk = pages[start : start + 64]
            results += builder.build_batch([p for p, *_ in chunk])
        with cache.open("w", encoding="utf-8") as out:
            for (_, dup, story, when), result in zip(pages, results, strict=True):
                if isinstance(result, ArticleEvent):
                    event = result.model_copy(update={"published_at": when})
                    row = {"event": event.model_dump(mode="json"), "dup": dup, "story": story}
                    out.write(json.dumps(row) + "\n")
    keys = _real_page_keys()
    labelled = []
    for order, line in enumerate(cache.read_text("utf-8").splitlines()):
        row = json.loads(line)
        event = ArticleEvent.model_validate(row["event"])
        key = keys.get(event.url)
        dup, story = _real_labels(key) if key is not None else (row["dup"], _real_labels(row["story"])[1])
        labelled.append(Labelled(event, dup, story, order))
    return sorted(labelled, key=lambda item: (item.event.published_at, item.order))
