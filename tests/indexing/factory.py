"""Synthetic, deterministic article events for indexing tests and the benchmark."""

from __future__ import annotations

import hashlib
import random
from datetime import UTC, datetime, timedelta

from schemas.article import ArticleEvent, Entity, MentionedDate, Source

PERSONS = ["Angela Merkel", "Emmanuel Macron", "Olaf Scholz", "Ursula von der Leyen", "Christine Lagarde"]
ORGS = ["European Central Bank", "Bundestag", "United Nations", "Siemens", "Airbus"]
PLACES = [
    ("Berlin", "GPE"),
    ("Paris", "GPE"),
    ("Rhine", "LOC"),
    ("Brandenburg Airport", "FAC"),
    ("Lyon", "GPE"),
]
SOURCES = [
    ("example-news.test", "Example News"),
    ("daily.test", "The Daily"),
    ("zeitung.test", "Die Zeitung"),
]
LANGUAGES = ["en", "de", "fr"]
AUTHORS = ["Jane Roe", "John Doe", "Max Mustermann"]
WORDS = [
    "government",
    "budget",
    "election",
    "market",
    "inflation",
    "climate",
    "energy",
    "railway",
    "strike",
    "court",
    "ruling",
    "minister",
    "parliament",
    "vote",
    "coalition",
    "summit",
    "border",
    "trade",
    "tariff",
    "harbour",
    "festival",
    "museum",
    "football",
    "league",
]
BASE_TIME = datetime(2024, 1, 1, tzinfo=UTC)


def article_id(i: int, salt: str = "") -> str:
    return hashlib.md5(f"{salt}article-{i}".encode()).hexdigest()


def make_event(i: int, revision: int = 1, salt: str = "", **overrides: object) -> ArticleEvent:
    """Article ``i``: its entities, source and language follow from ``i`` (reproducible facet counts)."""
    rng = random.Random(f"{salt}{i}")
    persons = rng.sample(PERSONS, k=1 + i % 2)
    orgs = rng.sample(ORGS, k=1)
    place, place_label = PLACES[i % len(PLACES)]
    domain, name = SOURCES[i % len(SOURCES)]
    words = [rng.choice(WORDS) for _ in range(120)]
    text = f"{' '.join(words[:60])}.\n\n{' '.join(words[60:])}. The minister runs the revision {revision}."
    entities = [Entity(text=p, label="PERSON", mentions=2, forms=[p.split()[-1]]) for p in persons]
    entities += [Entity(text=o, label="ORG", mentions=1) for o in orgs]
    entities.append(Entity(text=place, label=place_label, mentions=1))
    entities.append(Entity(text="Europeans", label="NORP", mentions=1))
    fields: dict[str, object] = {
        "id": article_id(i, salt),
        "revision": revision,
        "url": f"https://{domain}/news/{i}",
        "canonical_url": f"https://{domain}/news/{i}",
        "source": Source(domain=domain, name=name),
        "title": f"{' '.join(words[:6]).capitalize()} number {i}",
        "authors": [AUTHORS[i % len(AUTHORS)]],
        "published_at": BASE_TIME + timedelta(days=i % 90, hours=i % 24),
        "language": LANGUAGES[i % len(LANGUAGES)],
        "text": text,
        "description": " ".join(words[:20]),
        "tags": [words[0]],
        "categories": ["politics" if i % 2 else "economy"],
        "entities": entities,
        "dates": [MentionedDate(text="last May", value="2023-05", granularity="month")],
        "word_count": len(text.split()),
        "content_hash": hashlib.sha256(text.encode()).hexdigest(),
        "simhash": hashlib.sha256(text.encode()).hexdigest()[:16],
        "fetched_at": BASE_TIME + timedelta(days=100),
    }
    fields.update(overrides)
    return ArticleEvent(**fields)
