"""What the stories stage compares: a small record per article, built once from the event (pure).

Sentence hashes find copies (a syndicated copy repeats the original's sentences, whatever its
boilerplate, title, truncation or paragraph order); term counts and entities find the articles of one
story (a rewrite shares the story's words and names, not its sentences).
"""

from __future__ import annotations

import hashlib
import math
import re
import sys
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from indexing.documents import ENTITY_FIELDS
from schemas.article import ArticleEvent

MIN_SENTENCE_WORDS = 6
"""A sentence shorter than this ("Read more.", "Photo: AFP.") is boilerplate-sized: identical short
sentences recur across unrelated articles, so they are not evidence of a copy."""

MIN_TERM_CHARS = 3
"""Shorter tokens are mostly function words in every language the corpus holds (de, en, fr...)."""

MAX_TERMS = 120
"""Distinct body terms kept per article, the most frequent first: the corpus' median article has
~300 distinct terms; the tail (words used once) adds cost to every similarity and little signal."""

ENTITY_KINDS = ("persons", "organisations", "locations", "events")
"""Entity kinds that identify an event (who, which organisation, where, which named event)."""

_ENTITY_LABELS = frozenset(label for label, kind in ENTITY_FIELDS.items() if kind in ENTITY_KINDS)

COMMON_WORDS: frozenset[str] = frozenset(
    line
    for line in Path(__file__).with_name("common_words.txt").read_text(encoding="utf-8").splitlines()
    if line and not line.startswith("#")
)
"""Function words of en/de/fr/es measured on the corpus (see the file's header), left out of the terms."""

_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+|\n+")
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class StoryInput:
    """One article as the stories stage sees it."""

    id: str
    revision: int
    source: str
    title: str
    language: str | None
    published_at: datetime
    content_hash: str
    sentence_hashes: frozenset[int]
    terms: dict[str, float]
    title_terms: frozenset[str]
    entities: frozenset[str]
    entity_display: dict[str, str]
    lead: str


def _stable_hash(text: str) -> int:
    """64-bit hash stable across processes (``hash()`` is salted per process)."""
    return int.from_bytes(hashlib.blake2b(text.encode("utf-8"), digest_size=8).digest(), "big")


def sentence_hashes(text: str) -> frozenset[int]:
    """Hashes of the casefolded word sequences of the text's sentences of MIN_SENTENCE_WORDS or more."""
    hashes = set()
    for sentence in _SENTENCE_END.split(text):
        words = _WORD.findall(sentence.casefold())
        if len(words) >= MIN_SENTENCE_WORDS:
            hashes.add(_stable_hash(" ".join(words)))
    return frozenset(hashes)


LEAD_MAX_CHARS = 300
"""A story's summary sentence is cut here: two lines of a terminal or a search result."""


def lead_sentence(text: str) -> str:
    """The first sentence of MIN_SENTENCE_WORDS words or more (a story's summary; a dateline such as
    "LA CROSSE, Wis." is skipped), cut at LEAD_MAX_CHARS on a word boundary."""
    sentences = [s.strip() for s in _SENTENCE_END.split(text) if s.strip()]
    first = next(
        (s for s in sentences if len(s.split()) >= MIN_SENTENCE_WORDS), sentences[0] if sentences else ""
    )
    if len(first) <= LEAD_MAX_CHARS:
        return first
    return first[:LEAD_MAX_CHARS].rsplit(" ", 1)[0] + " …"


def words(text: str) -> list[str]:
    """Casefolded tokens of MIN_TERM_CHARS or more; digits-only tokens and COMMON_WORDS left out."""
    return [
        w
        for w in _WORD.findall(text.casefold())
        if len(w) >= MIN_TERM_CHARS and not w.isdigit() and w not in COMMON_WORDS
    ]


def term_weights(text: str) -> dict[str, float]:
    """Sublinear term frequency (1 + log tf) of the MAX_TERMS most frequent terms (interned: the window
    keeps each article's terms for its document frequencies, one shared string per term)."""
    counts = Counter(words(text)).most_common(MAX_TERMS)
    return {sys.intern(term): 1.0 + math.log(count) for term, count in counts}


def entity_keys(event: ArticleEvent) -> dict[str, str]:
    """Key -> display name of the event's entities of ENTITY_KINDS, most mentioned first. The key is the
    pipeline's language-independent id where it linked one (``place:<GeoNames id>``, ``person:``/``org:``
    ids: "Allemagne", "Deutschland" and "Germany" are one place; "Biden" and "Joe Biden" one person when
    the registry says so), else the casefolded name."""
    display: dict[str, str] = {}
    for entity in sorted(event.entities, key=lambda entity: -entity.mentions):
        if entity.label in _ENTITY_LABELS:
            display.setdefault(entity.id or entity.text.casefold(), entity.text)
    return display


def _aware(when: datetime) -> datetime:
    """A page's date without a zone is taken as UTC (the stage compares it with every story's dates;
    a naive and an aware datetime cannot even be subtracted)."""
    return when if when.tzinfo is not None else when.replace(tzinfo=UTC)


def from_event(event: ArticleEvent) -> StoryInput:
    """The stage's record of an event; its time is the publication date, else when it was fetched."""
    display = entity_keys(event)
    title = event.title or ""
    return StoryInput(
        id=event.id,
        revision=event.revision,
        source=event.source.domain,
        title=title,
        language=event.language,
        published_at=_aware(event.published_at or event.fetched_at),
        content_hash=event.content_hash,
        sentence_hashes=sentence_hashes(event.text),
        terms=term_weights(f"{title}\n{event.text}"),
        title_terms=frozenset(words(title)),
        entities=frozenset(display),
        entity_display=display,
        lead=lead_sentence(event.text),
    )
