"""Kafka value -> ArticleEvent -> Elasticsearch document: the last transforms of the pipeline (pure).

The document follows ``schemas/articles_index.v1.json``; its ``_id`` is the article id and its external
version the revision (both set by the bulk writer, not stored here twice).

Each text field is also copied to ``<field>_<language>`` (``title_en``, ``text_fr``, ...) for the article's
own language only, when that language has an analyzer in the mapping: the stemmed, stop-worded copy that
full-text search matches inflected words on. Analysing every text with every language's analyzer (the
former en/fr/de multi-fields) cost Elasticsearch ~23 % more CPU per document, for copies analysed by the
rules of a language the text is not in (docs/search.md, "Language fields").
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic_core import from_json

from indexing.failure_policy import Failure
from schemas.article import ArticleEvent, EntityLabel, EventInvalid, parse_event

# One keyword array per entity kind, holding canonical names: the facets and filters of search.
# GPE (countries, cities), LOC (mountains, rivers) and FAC (airports, bridges) are all "where" to a reader.
ENTITY_FIELDS: dict[EntityLabel, str] = {
    "PERSON": "persons",
    "ORG": "organisations",
    "GPE": "locations",
    "LOC": "locations",
    "FAC": "locations",
    "NORP": "groups",
    "EVENT": "events",
    "PRODUCT": "products",
    "WORK_OF_ART": "works",
    "LAW": "laws",
}
ENTITY_KIND_FIELDS: tuple[str, ...] = tuple(dict.fromkeys(ENTITY_FIELDS.values()))

# Entities with ids (event v3) per kind, as "<id>|<display name>": filters match the id prefix and facets
# count one bucket per id, named for display, in one terms aggregation (docs/search.md, "Ids and places").
ID_FIELDS: dict[EntityLabel, str] = {
    "PERSON": "person_ids",
    "ORG": "org_ids",
    "GPE": "place_ids",
    "LOC": "place_ids",
    "NORP": "group_ids",
}
ID_SEPARATOR = "|"

# The analysed text fields, and the languages with a language field per text field in the mapping.
TEXT_FIELDS: tuple[str, ...] = ("title", "description", "text")
ANALYSED_LANGUAGES: tuple[str, ...] = ("en", "fr", "de")


def language_field(field: str, language: str) -> str:
    """The language copy of a text field: ``title`` in ``en`` -> ``title_en``."""
    return f"{field}_{language}"


LANGUAGE_FIELDS: tuple[str, ...] = tuple(
    language_field(field, language) for field in TEXT_FIELDS for language in ANALYSED_LANGUAGES
)


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def entity_names(event: ArticleEvent) -> dict[str, list[str]]:
    """Canonical names per kind field, most mentioned first, each name once."""
    ranked = sorted(event.entities, key=lambda entity: -entity.mentions)
    names: dict[str, list[str]] = {field: [] for field in ENTITY_KIND_FIELDS}
    for entity in ranked:
        field = names[ENTITY_FIELDS[entity.label]]
        if entity.text not in field:
            field.append(entity.text)
    return names


def entity_ids(event: ArticleEvent) -> dict[str, list[str]]:
    """``<id>|<name>`` per id field, most mentioned first, each id once (entities without an id: none)."""
    ranked = sorted(event.entities, key=lambda entity: -entity.mentions)
    values: dict[str, dict[str, str]] = {field: {} for field in dict.fromkeys(ID_FIELDS.values())}
    for entity in ranked:
        field = ID_FIELDS.get(entity.label)
        if field is not None and entity.id is not None:
            values[field].setdefault(entity.id, f"{entity.id}{ID_SEPARATOR}{entity.text}")
    return {field: list(ids.values()) for field, ids in values.items()}


def place_points(event: ArticleEvent) -> list[dict[str, float]]:
    """The resolved places' coordinates (geo_point array), each place once."""
    points: dict[int, dict[str, float]] = {}
    for entity in event.entities:
        if entity.geonames_id is not None and entity.lat is not None and entity.lon is not None:
            points.setdefault(entity.geonames_id, {"lat": entity.lat, "lon": entity.lon})
    return list(points.values())


def language_copies(event: ArticleEvent) -> dict[str, str]:
    """The text fields again under ``<field>_<language>``, for the article's own language only (none for a
    language without an analyzer in the mapping, or no language)."""
    language = event.language
    if language is None or language not in ANALYSED_LANGUAGES:
        return {}
    texts = {"title": event.title, "description": event.description, "text": event.text}
    return {language_field(field, language): value for field, value in texts.items() if value is not None}


def to_index_document(event: ArticleEvent) -> dict[str, Any]:
    """The index document of one article event."""
    return {
        "id": event.id,
        "revision": event.revision,
        "schema_version": event.schema_version,
        "url": event.url,
        "canonical_url": event.canonical_url,
        "image": event.image,
        "source": {"domain": event.source.domain, "name": event.source.name},
        "title": event.title,
        "description": event.description,
        "text": event.text,
        **language_copies(event),
        "language": event.language,
        "authors": event.authors,
        "tags": event.tags,
        "categories": event.categories,
        **entity_names(event),
        **entity_ids(event),
        "places": place_points(event),
        "entities": [entity.model_dump(exclude_none=True) for entity in event.entities],
        "published_at": _iso(event.published_at),
        "modified_at": _iso(event.modified_at),
        "fetched_at": _iso(event.fetched_at),
        "mentioned_dates": list(dict.fromkeys(date.value for date in event.dates)),
        "word_count": event.word_count,
        "content_hash": event.content_hash,
        "simhash": event.simhash,
        "ingest_run": event.ingest_run.model_dump() if event.ingest_run else None,
    }


class UndecodableEvent(ValueError):
    """The Kafka value is not an ArticleEvent; ``failure`` says whether it is not JSON or not valid."""

    def __init__(self, failure: Failure, detail: str) -> None:
        super().__init__(detail)
        self.failure = failure
        self.detail = detail


def decode_event(value: bytes | None) -> ArticleEvent:
    """The event in a Kafka value (JSON, then the published JSON Schema), or :class:`UndecodableEvent`."""
    if value is None:
        raise UndecodableEvent(Failure.UNDECODABLE, "empty message (tombstone)")
    try:
        data = from_json(value)
    except ValueError as exc:
        raise UndecodableEvent(Failure.UNDECODABLE, f"not JSON: {exc}") from exc
    if not isinstance(data, dict):
        raise UndecodableEvent(
            Failure.SCHEMA_INVALID, f"(event): a JSON {type(data).__name__}, not an object"
        )
    try:
        return parse_event(data)
    except EventInvalid as exc:
        raise UndecodableEvent(Failure.SCHEMA_INVALID, str(exc)) from exc
