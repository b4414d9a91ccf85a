"""The article event: the contract between ingestion (producer) and indexing (consumer).

Each version's JSON Schema (``article_event.v<N>.json``) is a published contract; this pydantic model
is the typed view of the newest one. Producers write ``SCHEMA_VERSION``; consumers read every version
in ``SCHEMA_VERSIONS`` (a payload is checked against its own version's schema, then read into the
newest model, whose fields added since v1 all have defaults: that default is the migration).
``tests/schemas`` proves schema and model agree; docs/schema.md lists each version and its migration.
"""

from __future__ import annotations

import json
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any, Literal

import jsonschema_rs
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from pydantic_core import from_json

# Every version still readable (events of each may still be on the topic); the last one is written.
SCHEMA_VERSIONS: tuple[int, ...] = (1, 2, 3, 4)
SCHEMA_VERSION = SCHEMA_VERSIONS[-1]
SchemaVersion = Literal[1, 2, 3, 4]
SCHEMA_DIR = Path(__file__).resolve().parent


def schema_file(version: int = SCHEMA_VERSION) -> Path:
    """The published JSON Schema of one event version."""
    return SCHEMA_DIR / f"article_event.v{version}.json"


SCHEMA_FILE = schema_file()

EntityLabel = Literal["PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT", "PRODUCT", "WORK_OF_ART", "LAW"]
DateGranularity = Literal["year", "month", "day"]
PlaceKind = Literal["country", "region", "city", "continent"]


class Source(BaseModel):
    model_config = ConfigDict(extra="forbid")

    domain: str = Field(description="host of the canonical URL, without 'www.'")
    name: str = Field(description="source name from sources.yaml, or the site name")


class Entity(BaseModel):
    """One distinct entity of the document after document-level merging."""

    model_config = ConfigDict(extra="forbid")

    text: str = Field(description="canonical name, e.g. 'Angela Merkel'")
    label: EntityLabel
    mentions: int = Field(ge=1, description="how many times the entity occurs")
    forms: list[str] = Field(default_factory=list, description="surface forms seen, e.g. ['Merkel']")
    # v3: ids and places (docs/enrichment.md, "Ids and places"); absent in v1 events.
    id: str | None = Field(
        default=None, description="stable id across articles: person:joe-biden, place:703883"
    )
    geonames_id: int | None = Field(default=None, description="GeoNames id of a resolved place")
    country: str | None = Field(
        default=None,
        pattern=r"^[A-Z]{2}$",
        description="ISO 3166-1 alpha-2 of a place or of a NORP's country",
    )
    lat: float | None = Field(default=None, ge=-90, le=90)
    lon: float | None = Field(default=None, ge=-180, le=180)
    kind: PlaceKind | None = Field(default=None, description="country, region, city or continent")


class MentionedDate(BaseModel):
    """A date mentioned in the text, resolved against the publication date."""

    model_config = ConfigDict(extra="forbid")

    text: str = Field(description="as written, e.g. 'last September'")
    value: str = Field(pattern=r"^\d{4}(-\d{2}(-\d{2})?)?$", description="YYYY, YYYY-MM or YYYY-MM-DD")
    granularity: DateGranularity


class Extraction(BaseModel):
    """How the text was extracted (since v2)."""

    model_config = ConfigDict(extra="forbid")

    method: str = Field(min_length=1, description="extractor path, e.g. 'trafilatura'")
    quality: float = Field(ge=0, le=1, description="text quality score, 0..1 (ingest/quality.py)")


class IngestRun(BaseModel):
    """The Prefect flow run that published an article revision (since v4): readers link the article to it."""

    model_config = ConfigDict(extra="forbid")

    flow_run_id: str = Field(pattern=r"^[0-9a-f-]{36}$", description="Prefect flow run id (UUID)")
    flow_run_name: str | None = Field(default=None, description="the run's name, e.g. 'ingest example-news'")
    deployment_id: str | None = Field(
        default=None, description="Prefect deployment id (UUID), null for a run without deployment"
    )


class ArticleEvent(BaseModel):
    """One article, as published to the ``articles`` topic (key = ``id``)."""

    model_config = ConfigDict(extra="forbid")

    schema_version: SchemaVersion = SCHEMA_VERSION
    id: str = Field(pattern=r"^[0-9a-f]{32}$", description="stable id derived from the canonical URL")
    revision: int = Field(ge=1, description="1 for the first version; +1 each time the content changes")
    url: str
    canonical_url: str
    source: Source
    title: str | None = None
    authors: list[str] = Field(default_factory=list)
    published_at: datetime | None = Field(default=None, description="from page metadata, never fetch time")
    modified_at: datetime | None = None
    language: str | None = Field(default=None, pattern=r"^[a-z]{2}$", description="ISO 639-1")
    text: str = Field(min_length=1, description="main text, paragraphs separated by blank lines")
    description: str | None = None
    tags: list[str] = Field(default_factory=list)
    categories: list[str] = Field(default_factory=list)
    image: str | None = None
    entities: list[Entity] = Field(default_factory=list)
    dates: list[MentionedDate] = Field(default_factory=list)
    word_count: int = Field(ge=0)
    content_hash: str = Field(pattern=r"^[0-9a-f]{64}$", description="sha256 of the normalised text")
    simhash: str = Field(pattern=r"^[0-9a-f]{16}$", description="64-bit simhash over word shingles, hex")
    fetched_at: datetime
    extraction: Extraction | None = Field(default=None, description="since v2; null on events read from v1")
    ingest_run: IngestRun | None = Field(
        default=None,
        description="the Prefect flow run that published this revision; null outside Prefect",
    )


class EventInvalid(ValueError):
    """A payload that is not a valid article event of a known version; the message names the field and why."""


@cache
def _validator(version: int = SCHEMA_VERSION) -> jsonschema_rs.Draft202012Validator:
    """One version's JSON Schema, read and compiled once per process.

    jsonschema-rs (Rust) rather than the pure-Python ``jsonschema``: ~30x faster on a typical
    event (measured in docs/benchmarks.md, "Event validation"), which matters on the indexer side.
    """
    schema = json.loads(schema_file(version).read_text(encoding="utf-8"))
    jsonschema_rs.meta.validate(schema)
    return jsonschema_rs.Draft202012Validator(schema)


def check_payload(payload: bytes | str | dict[str, Any]) -> dict[str, Any]:
    """Validate a payload against the published JSON Schema (the contract); returns the parsed JSON.

    What the producer checks before publishing: its payload was serialised from an ``ArticleEvent``,
    so the model's own validation would only repeat itself (~7 % of the flow process's CPU).
    Raises EventInvalid.
    """
    if isinstance(payload, dict):
        data = payload
    else:
        try:
            data = from_json(payload)
        except ValueError as exc:
            raise EventInvalid(f"not JSON: {exc}") from exc
    version = data.get("schema_version", 1) if isinstance(data, dict) else SCHEMA_VERSION
    if version not in SCHEMA_VERSIONS:
        raise EventInvalid(f"schema_version: {version!r} is not one of the known versions {SCHEMA_VERSIONS}")
    validator = _validator(version)
    if not validator.is_valid(data):
        error = next(iter(validator.iter_errors(data)))
        where = "/".join(str(part) for part in error.instance_path) or "(event)"
        raise EventInvalid(f"{where}: {error.message}"[:1000])
    return data


def parse_event(payload: bytes | str | dict[str, Any]) -> ArticleEvent:
    """Validate a payload against the published JSON Schema and return the typed event.

    Used on consuming. The JSON Schema is the contract; the model then enforces the same rules with
    types (``tests/schemas`` proves they agree). Raises EventInvalid.
    """
    data = check_payload(payload)
    try:  # a payload without schema_version is v1 (the JSON Schemas' default), whatever the newest is
        return ArticleEvent.model_validate({"schema_version": 1, **data})
    except ValidationError as exc:
        first = exc.errors()[0]
        where = "/".join(str(part) for part in first["loc"]) or "(event)"
        raise EventInvalid(f"{where}: {first['msg']}") from exc
