"""Article events for the stories tests: real newsbench texts, their simulated copies and rewrites."""

from __future__ import annotations

import hashlib
import json
import random
from datetime import UTC, datetime, timedelta

from flows.sim_site.syndicate import Article, copy_of, newsbench_dir, rewrite_of
from schemas.article import ArticleEvent, Entity
from tests.indexing.factory import make_event

T0 = datetime(2024, 6, 1, 12, tzinfo=UTC)


def newsbench(key: str) -> Article:
    """A newsbench article by id, with every paragraph."""
    for line in (newsbench_dir() / "pages.jsonl").read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        if row["id"] == key:
            body = row["body"]
            paragraphs = [*body["summary"], *(p for s in body["sections"] for p in s["paragraphs"])]
            return Article(key, row["title"], tuple(p for p in paragraphs if p.strip()), None)
    raise KeyError(key)


def event(
    n: int,
    title: str,
    paragraphs: tuple[str, ...],
    *,
    domain: str,
    entities: tuple[str, ...] = (),
    hours: float = 0.0,
    salt: str = "",
) -> ArticleEvent:
    text = "\n\n".join(paragraphs)
    return make_event(
        n,
        salt=salt,
        title=title,
        text=text,
        description=None,
        entities=[Entity(text=name, label="GPE", mentions=1) for name in entities],
        content_hash=hashlib.sha256(text.encode()).hexdigest(),
        published_at=T0 + timedelta(hours=hours),
        source=make_event(n).source.model_copy(update={"domain": domain, "name": domain}),
    )


def syndicated(article: Article, entities: tuple[str, ...], salt: str = "") -> dict[str, ArticleEvent]:
    """The original, two copies (other boilerplate, title, truncation, order) and a rewrite, as events."""
    rng = random.Random(article.key)
    events = {
        "original": event(
            1, article.title, article.paragraphs, domain="wire.test", entities=entities, salt=salt
        )
    }
    for n, outlet in enumerate(("herald", "metro"), 2):
        title, paragraphs = copy_of(article, outlet, rng)
        events[outlet] = event(
            n, title, paragraphs, domain=f"{outlet}.test", entities=entities, hours=n, salt=salt
        )
    title, paragraphs = rewrite_of(article, rng)
    events["rewrite"] = event(
        4, title, paragraphs, domain="ledger.test", entities=entities, hours=5, salt=salt
    )
    return events


def background(count: int, exclude: set[str]) -> list[ArticleEvent]:
    """Other newsbench articles, a day before the test's: what a window holds (its document frequencies
    tell common words from rare ones), and each its own story."""
    events = []
    for line in (newsbench_dir() / "pages.jsonl").read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        if row["id"] in exclude or row["country"] not in ("us", "uk", "au", "ca"):
            continue
        article = newsbench(row["id"])
        events.append(
            event(len(events), article.title, article.paragraphs, domain="bg.test", hours=-24, salt="bg")
        )
        if len(events) == count:
            break
    return events
