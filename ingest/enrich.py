"""Enrichment of extracted article texts: language, entities, mentioned dates, fingerprints.

``Enricher.enrich_batch`` is the one entry point: it detects languages, runs NER once per language
over the whole batch (``nlp.pipe``), then merges entities and resolves dates per document. Build one
``Enricher`` per process and reuse it: the spaCy models load on first use of their language.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from ingest.dates import mentioned_dates
from ingest.entities import NER_BATCH_SIZE, NER_MODELS, EntityRecognizer
from ingest.entity_merge import merge_mentions
from ingest.fingerprint import content_hash, simhash
from ingest.language import detect_language
from schemas.article import Entity, MentionedDate


@dataclass(frozen=True)
class EnrichInput:
    text: str
    published_at: datetime | None
    language_hint: str | None = None


@dataclass(frozen=True)
class Enrichment:
    language: str | None  # ISO 639-1
    entities: list[Entity]  # merged per document
    dates: list[MentionedDate]
    word_count: int
    content_hash: str  # sha256 hex of normalised text
    simhash: str  # 16 hex chars, 64-bit


def word_count(text: str) -> int:
    """Whitespace-separated words, the usual editorial count (and the unit of the NER benchmarks)."""
    return len(text.split())


class Enricher:
    """Holds the NER models of one process; pure otherwise (same input, same output)."""

    def __init__(self, models: Mapping[str, str] = NER_MODELS, batch_size: int = NER_BATCH_SIZE) -> None:
        self._recognizer = EntityRecognizer(models, batch_size)

    def warm_up(self) -> None:
        """Load every model now (language identifier, each NER pipeline) instead of on first use."""
        detect_language("warm-up")
        self._recognizer.warm_up()

    def enrich_batch(self, docs: Sequence[EnrichInput]) -> list[Enrichment]:
        """One ``Enrichment`` per input, in input order."""
        languages = [detect_language(doc.text, doc.language_hint) for doc in docs]
        ner_results = self._recognizer.recognise_batch([doc.text for doc in docs], languages)
        return [
            Enrichment(
                language=language,
                entities=merge_mentions(ner.mentions),
                dates=mentioned_dates(doc.text, ner.date_spans, doc.published_at, language),
                word_count=word_count(doc.text),
                content_hash=content_hash(doc.text),
                simhash=simhash(doc.text),
            )
            for doc, language, ner in zip(docs, languages, ner_results, strict=True)
        ]
