"""Enrichment of extracted article texts: language, entities, mentioned dates, fingerprints.

``Enricher.enrich_batch`` is the one entry point: it detects languages, runs NER once per language
over the whole batch (``nlp.pipe``; gazetteer place matching for languages without a model), then
merges entities, links them (labels, places, ids: ``entity_linking``, ``entity_registry``) and resolves
dates per document. Build one ``Enricher`` per process and reuse it: the spaCy models and the gazetteer
load on first use.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from ingest.dates import mentioned_dates
from ingest.entities import NER_BATCH_SIZE, NER_MODELS, EntityRecognizer, NerResult, cap_text
from ingest.entity_linking import link_entities
from ingest.entity_merge import merge_mentions
from ingest.entity_registry import EntityRegistry
from ingest.fingerprint import fingerprints
from ingest.gazetteer import country_of_domain, get_gazetteer
from ingest.known_names import known_name_mentions
from ingest.label_rules import correct_mention_labels
from ingest.language import detect_language
from ingest.mention_spans import drop_common_words, normalise_spans
from ingest.place_context import noun_names, without_common_nouns
from ingest.place_cues import CUED_PLACE_LANGUAGES, cued_places, features, without_place_ids
from ingest.place_matcher import declinable_names, match_places
from ingest.small_towns import small_towns
from schemas.article import Entity, MentionedDate
from schemas.settings import get_settings


@dataclass(frozen=True)
class EnrichInput:
    text: str
    published_at: datetime | None
    language_hint: str | None = None
    source_domain: str | None = None  # its country-code domain is a cue for ambiguous place names


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

    def __init__(
        self,
        models: Mapping[str, str] = NER_MODELS,
        batch_size: int = NER_BATCH_SIZE,
        registry: EntityRegistry | None = None,
    ) -> None:
        """``registry``: where people and organisations get their ids; default the data dir's file."""
        self._recognizer = EntityRecognizer(models, batch_size)
        self._registry = registry or EntityRegistry.in_data_dir(get_settings().data_dir)

    def warm_up(self) -> None:
        """Load every model now (language identifier, each NER pipeline, the gazetteer) instead of on
        first use. The registry's connection is not opened here: it must be opened after a fork."""
        detect_language("warm-up")
        self._recognizer.warm_up()
        declinable_names(get_gazetteer())  # the gazetteer and its index of case forms (place_matcher)
        features()  # the German place table (place_cues)
        noun_names()  # the German nouns that are also place names (place_context)
        small_towns()  # the towns below the gazetteer's floor (small_towns)

    def _entities(
        self, docs: Sequence[EnrichInput], languages: list[str | None], ner: list[NerResult]
    ) -> list[list[Entity]]:
        """Each document's linked entities: NER mentions, or gazetteer places without a model."""
        gazetteer = get_gazetteer()
        linked = []
        for doc, language, result in zip(docs, languages, ner, strict=True):
            text = cap_text(doc.text)
            modelled = self._recognizer.supports(language)
            if modelled:
                found = known_name_mentions(text, result.mentions, doc.source_domain, gazetteer)
                spans = normalise_spans(gazetteer, drop_common_words(gazetteer, found, doc.text))
                mentions = correct_mention_labels(gazetteer, spans)
            else:
                mentions = tuple(match_places(gazetteer, text, language))
            districts: frozenset[str] = frozenset()
            if language in CUED_PLACE_LANGUAGES:
                cued = cued_places(gazetteer, text, mentions)
                mentions = (*(m for m in mentions if m.text not in cued.table_names), *cued.mentions)
                districts = cued.districts
            if not modelled:  # after the cues: they may add town names that are nouns here
                mentions = without_common_nouns(gazetteer, text, mentions, language)
            merged = merge_mentions(mentions, lambda name: bool(gazetteer.lookup(name)))
            entities = link_entities(gazetteer, merged, country_of_domain(doc.source_domain), language)
            linked.append(without_place_ids(entities, districts) if districts else entities)
        return self._registry.identify(linked)

    def enrich_batch(self, docs: Sequence[EnrichInput]) -> list[Enrichment]:
        """One ``Enrichment`` per input, in input order."""
        languages = [detect_language(doc.text, doc.language_hint) for doc in docs]
        ner_results = self._recognizer.recognise_batch([doc.text for doc in docs], languages)
        entities = self._entities(docs, languages, ner_results)
        hashes = [fingerprints(doc.text) for doc in docs]
        return [
            Enrichment(
                language=language,
                entities=doc_entities,
                dates=mentioned_dates(doc.text, ner.date_spans, doc.published_at, language),
                word_count=word_count(doc.text),
                content_hash=exact,
                simhash=near,
            )
            for doc, language, ner, doc_entities, (exact, near) in zip(
                docs, languages, ner_results, entities, hashes, strict=True
            )
        ]
