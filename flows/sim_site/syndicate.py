"""Syndicated copies and rewrites of real articles under other outlets (pure, deterministic).

Opt-in content of the simulated site (``load_syndicated``, ``python -m flows.sim_site --syndicate N``):
``N`` newsbench articles (hand-checked titles and paragraphs), each published by the wire outlet, then
as COPIES by two other outlets (their own boilerplate, another title, truncated, two paragraphs
swapped) and as a REWRITE by a third (a new title and lead, a subset of sentences cut short, in another
order). The copies are duplicates of the original; the rewrite is the same story, not a copy. The
groups are also the labelled set of ``bench.stories``.
"""

from __future__ import annotations

import json
import os
import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial
from html import escape
from pathlib import Path

from flows.sim_site.corpus import EPOCH, REPO_ROOT, SimPage

WIRE_OUTLET = "wire"
COPY_OUTLETS = ("herald", "metro")
REWRITE_OUTLET = "ledger"
SYNDICATION_OUTLETS = (WIRE_OUTLET, *COPY_OUTLETS, REWRITE_OUTLET)

MIN_PARAGRAPHS = 6
"""Articles with fewer paragraphs are left out: a truncated copy of a 3-paragraph article is 2
paragraphs, too little to tell a copy from a quote."""
COPY_KEEP_SHARE = (0.6, 0.9)
"""A copy keeps this share of the original's paragraphs (from the start): how agencies' clients cut."""
REWRITE_KEEP_SHARE = 0.5
"""A rewrite keeps about half of the original's sentences, each cut short (another wording)."""
COPY_DELAY = timedelta(minutes=40)
REWRITE_DELAY = timedelta(hours=3)
GROUP_STEP = timedelta(hours=5)

BOILERPLATE = {
    "herald": (
        "Subscribe to the Herald newsletter for the day's top stories in your inbox every morning.",
        "This article is distributed by our partner news agency and has been edited for length.",
    ),
    "metro": (
        "Metro Daily is reader-funded. Support independent journalism from just one euro a month.",
        "Copyright the wire service. All rights reserved. Republication without permission is forbidden.",
    ),
    "ledger": ("The Ledger's reporters contributed to this story.",),
    "wire": ("Reporting by the wire desk; editing by the night team.",),
}


@dataclass(frozen=True)
class Article:
    """A source article: what each variant is made from."""

    key: str
    title: str
    paragraphs: tuple[str, ...]
    language: str | None


@dataclass(frozen=True)
class Variant:
    """One published version of an article: its outlet, slug, title, paragraphs and role."""

    group: str
    role: str  # "original", "copy" or "rewrite"
    outlet: str
    slug: str
    title: str
    paragraphs: tuple[str, ...]
    published_at: datetime

    @property
    def path(self) -> str:
        return f"/{self.outlet}/articles/{self.slug}.html"


def newsbench_dir() -> Path:
    return Path(os.environ.get("NEWSFLOW_NEWSBENCH_DIR") or REPO_ROOT.parent / "shared" / "newsbench")


def load_articles(limit: int) -> list[Article]:
    """The first ``limit`` newsbench articles (by id) in English or German with enough paragraphs."""
    articles = []
    for line in (newsbench_dir() / "pages.jsonl").read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        language = {"us": "en", "uk": "en", "au": "en", "ca": "en", "de": "de", "at": "de"}.get(
            row["country"]
        )
        body = row["body"]
        paragraphs = tuple(
            p.strip()
            for p in [*body["summary"], *(p for s in body["sections"] for p in s["paragraphs"])]
            if len(p.split()) >= 8
        )
        if language and row.get("title") and len(paragraphs) >= MIN_PARAGRAPHS:
            articles.append(Article(row["id"], row["title"].strip(), paragraphs, language))
    return sorted(articles, key=lambda a: a.key)[:limit]


def _sentences(paragraph: str) -> list[str]:
    parts, current = [], []
    for word in paragraph.split():
        current.append(word)
        if word.endswith((".", "!", "?")) and len(current) >= 4:
            parts.append(" ".join(current))
            current = []
    if current:
        parts.append(" ".join(current))
    return parts


def copy_of(article: Article, outlet: str, rng: random.Random) -> tuple[str, tuple[str, ...]]:
    """A syndicated copy: truncated, two middle paragraphs swapped, the outlet's boilerplate, a new title."""
    keep = max(MIN_PARAGRAPHS - 2, round(len(article.paragraphs) * rng.uniform(*COPY_KEEP_SHARE)))
    paragraphs = list(article.paragraphs[:keep])
    i = rng.randrange(1, len(paragraphs) - 1)
    paragraphs[i], paragraphs[i + 1] = paragraphs[i + 1], paragraphs[i]
    first, *rest = BOILERPLATE[outlet]
    title = f"{article.title.rstrip('.')} | {outlet.capitalize()}"
    return title, (first, *paragraphs, *rest)


def rewrite_of(article: Article, rng: random.Random) -> tuple[str, tuple[str, ...]]:
    """A rewrite: a new title and lead, about half the sentences, each cut by its last words, reordered."""
    sentences = [s for p in article.paragraphs for s in _sentences(p) if len(s.split()) >= 8]
    kept = sorted(rng.sample(range(len(sentences)), max(3, round(len(sentences) * REWRITE_KEEP_SHARE))))
    shortened = [" ".join(sentences[k].split()[: -rng.randint(2, 4)]).rstrip(",;:") + "." for k in kept]
    lead = shortened.pop(0)
    rng.shuffle(shortened)
    words = article.title.split()
    title = " ".join([*words[len(words) // 2 :], "—", *words[: len(words) // 2]])
    middle = len(shortened) // 2
    paragraphs = (lead, " ".join(shortened[:middle]), " ".join(shortened[middle:]), *BOILERPLATE["ledger"])
    return title, tuple(p for p in paragraphs if p)


def variants(article: Article, index: int) -> list[Variant]:
    """The original (wire), its copies and its rewrite, published within a few hours of each other."""
    rng = random.Random(article.key)
    when = EPOCH - GROUP_STEP * index
    slug = article.key.lower()
    out = [Variant(article.key, "original", WIRE_OUTLET, slug, article.title, article.paragraphs, when)]
    for n, outlet in enumerate(COPY_OUTLETS, 1):
        title, paragraphs = copy_of(article, outlet, rng)
        out.append(Variant(article.key, "copy", outlet, slug, title, paragraphs, when + COPY_DELAY * n))
    title, paragraphs = rewrite_of(article, rng)
    out.append(Variant(article.key, "rewrite", REWRITE_OUTLET, slug, title, paragraphs, when + REWRITE_DELAY))
    return out


def render_html(variant: Variant, base_url: str, *, language: str | None) -> bytes:
    """A plain news page: the outlet's navigation and footer around the article."""
    outlet = escape(variant.outlet.capitalize())
    body = "".join(f"<p>{escape(p)}</p>\n" for p in variant.paragraphs)
    nav = "".join(
        f'<li><a href="/{variant.outlet}/{s}/">{s.title()}</a></li>' for s in ("world", "sport", "tech")
    )
    return (
        f'<!doctype html><html lang="{language or "en"}"><head><meta charset="utf-8">'
        f"<title>{escape(variant.title)} - {outlet}</title>"
        f'<link rel="canonical" href="{escape(base_url + variant.path)}">'
        f'<meta property="article:published_time" content="{variant.published_at.isoformat()}">'
        f"</head><body><header><h2>{outlet} News</h2><nav><ul>{nav}</ul></nav></header>"
        f"<main><article><h1>{escape(variant.title)}</h1>"
        f'<p class="byline">By the {outlet} desk</p>\n{body}</article></main>'
        f"<footer><p>© {outlet} Media Group. Terms. Privacy. Contact us.</p></footer></body></html>"
    ).encode()


def syndication(groups: int) -> list[tuple[Variant, str | None]]:
    """Every variant of the first ``groups`` articles, with the article's language."""
    return [(v, a.language) for i, a in enumerate(load_articles(groups)) for v in variants(a, i)]


def load_syndicated(groups: int) -> list[SimPage]:
    """The syndication pages of the first ``groups`` articles, to serve beside the corpus pages."""
    return [
        SimPage(
            variant.outlet,
            variant.slug,
            Path(variant.path),
            variant.paragraphs[1] if len(variant.paragraphs) > 1 else None,
            variant.published_at,
            render=partial(render_html, variant, language=language),
        )
        for variant, language in syndication(groups)
    ]
