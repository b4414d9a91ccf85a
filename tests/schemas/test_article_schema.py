"""The published JSON Schemas and the pydantic model describe the same event (v1; v2 adds extraction)."""

from __future__ import annotations

import copy
import json
from datetime import UTC, datetime
from typing import Any

import pytest
from pydantic import ValidationError

from schemas.article import (
    SCHEMA_FILE,
    SCHEMA_VERSION,
    SCHEMA_VERSIONS,
    ArticleEvent,
    Entity,
    EventInvalid,
    Extraction,
    IngestRun,
    MentionedDate,
    Source,
    _validator,
    parse_event,
)


def _event() -> ArticleEvent:
    return ArticleEvent(
        id="0123456789abcdef0123456789abcdef",
        revision=1,
        url="https://www.example.org/politik/a-1.html?utm_source=rss",
        canonical_url="https://www.example.org/politik/a-1.html",
        source=Source(domain="example.org", name="Example"),
        title="Merkel meets Macron",
        authors=["Jane Doe"],
        published_at=datetime(2024, 3, 13, 9, 30, tzinfo=UTC),
        language="en",
        text="First paragraph.\n\nSecond paragraph.",
        entities=[Entity(text="Angela Merkel", label="PERSON", mentions=3, forms=["Merkel"])],
        dates=[MentionedDate(text="last September", value="2023-09", granularity="month")],
        word_count=4,
        content_hash="a" * 64,
        simhash="0123456789abcdef",
        fetched_at=datetime(2024, 3, 14, 8, 0, tzinfo=UTC),
        extraction=Extraction(method="trafilatura", quality=0.87),
    )


def _schema() -> dict[str, Any]:
    return json.loads(SCHEMA_FILE.read_text())


def _model_schema() -> dict[str, Any]:
    return ArticleEvent.model_json_schema(mode="serialization")


def _schema_accepts(payload: dict[str, Any]) -> bool:
    return _validator().is_valid(payload)


def _model_accepts(payload: dict[str, Any]) -> bool:
    try:
        ArticleEvent.model_validate_json(json.dumps(payload))
    except ValidationError:
        return False
    return True


def test_schema_and_model_have_the_same_properties_and_required_fields() -> None:
    schema, model = _schema(), _model_schema()
    assert set(schema["properties"]) == set(model["properties"])
    assert set(schema["required"]) == set(model["required"])
    for name in ("Source", "Entity", "MentionedDate", "Extraction", "IngestRun"):
        assert set(schema["$defs"][name]["properties"]) == set(model["$defs"][name]["properties"])
        assert set(schema["$defs"][name]["required"]) == set(model["$defs"][name]["required"])


def test_schema_and_model_agree_on_patterns_and_enums() -> None:
    schema, model = _schema(), _model_schema()
    for field in ("id", "content_hash", "simhash"):
        assert schema["properties"][field]["pattern"] == model["properties"][field]["pattern"]
    assert (
        schema["$defs"]["Entity"]["properties"]["label"]["enum"]
        == (model["$defs"]["Entity"]["properties"]["label"]["enum"])
    )
    assert (
        schema["$defs"]["MentionedDate"]["properties"]["value"]["pattern"]
        == (model["$defs"]["MentionedDate"]["properties"]["value"]["pattern"])
    )


def test_schema_forbids_extra_properties_like_the_model() -> None:
    schema = _schema()
    assert schema["additionalProperties"] is False
    assert all(d["additionalProperties"] is False for d in (schema["$defs"][n] for n in ("Source", "Entity")))


def test_valid_event_round_trips_through_parse_event() -> None:
    event = _event()
    payload = event.model_dump_json()
    assert parse_event(payload) == event
    assert parse_event(payload.encode()) == event
    assert parse_event(json.loads(payload)) == event


def test_event_with_only_required_fields_is_valid_for_both() -> None:
    payload = json.loads(_event().model_dump_json())
    minimal = {k: payload[k] for k in _schema()["required"]}
    assert _schema_accepts(minimal) and _model_accepts(minimal)
    event = parse_event(minimal)  # no schema_version: checked as v1, read into the newest model
    assert event.schema_version in SCHEMA_VERSIONS and event.ingest_run is None


def test_naive_and_offset_datetimes_are_valid_for_both() -> None:
    payload = json.loads(_event().model_dump_json())
    for value in ("2024-03-13T09:30:00", "2024-03-13T09:30:00+01:00", "2024-03-13T09:30:00.123456Z"):
        payload["published_at"] = value
        assert _schema_accepts(payload) and _model_accepts(payload), value


def _mutated(path: tuple[Any, ...], value: Any) -> dict[str, Any]:
    payload = json.loads(_event().model_dump_json())
    target = payload
    for key in path[:-1]:
        target = target[key]
    if value is _DELETE:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    return copy.deepcopy(payload)


_DELETE = object()

BAD_EVENTS = {
    "missing text": (("text",), _DELETE),
    "empty text": (("text",), ""),
    "id not 32 hex": (("id",), "ABC"),
    "revision zero": (("revision",), 0),
    "extra field": (("shares",), 3),
    "language not ISO 639-1": (("language",), "eng"),
    "unknown entity label": (("entities", 0, "label"), "PER"),
    "entity with zero mentions": (("entities", 0, "mentions"), 0),
    "date value not ISO": (("dates", 0, "value"), "Sept 2023"),
    "unknown granularity": (("dates", 0, "granularity"), "week"),
    "simhash too short": (("simhash",), "abc"),
    "fetched_at not a datetime": (("fetched_at",), "yesterday"),
    "source without domain": (("source", "domain"), _DELETE),
    "unknown schema version": (("schema_version",), 99),
    "extraction quality above 1": (("extraction", "quality"), 1.5),
    "extraction without method": (("extraction", "method"), _DELETE),
}


@pytest.mark.parametrize("case", sorted(BAD_EVENTS))
def test_bad_event_is_rejected_by_schema_model_and_parse_event(case: str) -> None:
    payload = _mutated(*BAD_EVENTS[case])
    assert not _schema_accepts(payload)
    assert not _model_accepts(payload)
    with pytest.raises(EventInvalid):
        parse_event(payload)


def test_parse_event_names_the_field_and_the_reason() -> None:
    with pytest.raises(EventInvalid, match=r"entities/0/label: .*PER"):
        parse_event(_mutated(("entities", 0, "label"), "PER"))


def test_parse_event_rejects_non_json_and_non_objects() -> None:
    with pytest.raises(EventInvalid, match="not JSON"):
        parse_event(b"{not json")
    with pytest.raises(EventInvalid):
        parse_event("[1, 2]")


def test_v1_event_reads_as_the_newest_model_with_extraction_null() -> None:
    payload = json.loads(_event().model_dump_json(exclude_none=True))
    payload["schema_version"] = 1
    del payload["extraction"]
    event = parse_event(payload)
    assert event.schema_version == 1 and event.extraction is None


def test_v1_event_with_an_extraction_field_is_rejected() -> None:
    payload = json.loads(_event().model_dump_json(exclude_none=True))
    payload["schema_version"] = 1
    with pytest.raises(EventInvalid, match="extraction"):
        parse_event(payload)


def test_v2_event_keeps_its_extraction() -> None:
    event = parse_event(_event().model_dump_json())
    assert event.schema_version == SCHEMA_VERSION
    assert event.extraction == Extraction(method="trafilatura", quality=0.87)


def test_v3_entity_ids_and_places_round_trip_and_v1_events_still_read() -> None:
    event = _event().model_copy(
        update={
            "entities": [
                Entity(text="Crimea", label="GPE", mentions=2, id="place:703883", geonames_id=703883,
                       country="UA", lat=44.95, lon=34.1, kind="region"),
                Entity(text="Ukrainian", label="NORP", mentions=1, id="norp:ukrainian", country="UA"),
            ]
        }
    )  # fmt: skip
    assert parse_event(event.model_dump_json()) == event
    v1 = json.loads(_event().model_dump_json(exclude_none=True, exclude={"extraction"})) | {
        "schema_version": 1
    }
    assert parse_event(v1).entities[0].geonames_id is None
    with pytest.raises(EventInvalid, match="country"):
        parse_event(
            json.loads(event.model_dump_json())
            | {"entities": [{**event.entities[0].model_dump(), "country": "ukr"}]}
        )


RUN_ID = "0b8f3a52-3c4e-4d0f-9a57-2a0d5c1f7e11"


def test_v4_event_carries_the_ingesting_flow_run() -> None:
    event = _event().model_copy(
        update={"ingest_run": IngestRun(flow_run_id=RUN_ID, flow_run_name="ingest x")}
    )
    payload = json.loads(event.model_dump_json())
    assert payload["schema_version"] == 4 and _schema_accepts(payload)
    assert parse_event(payload).ingest_run == IngestRun(flow_run_id=RUN_ID, flow_run_name="ingest x")


def test_v1_event_reads_into_the_newest_model_without_a_flow_run() -> None:
    payload = json.loads(_event().model_dump_json(exclude_none=True, exclude={"extraction"})) | {
        "schema_version": 1
    }
    event = parse_event(payload)
    assert event.schema_version == 1 and event.ingest_run is None


def test_v1_event_with_an_ingest_run_is_rejected_by_its_own_schema() -> None:
    payload = json.loads(_event().model_dump_json(exclude_none=True, exclude={"extraction"})) | {
        "schema_version": 1,
        "ingest_run": {"flow_run_id": RUN_ID},
    }
    with pytest.raises(EventInvalid, match="ingest_run"):
        parse_event(payload)


def test_ingest_run_id_must_be_a_uuid() -> None:
    payload = json.loads(_event().model_dump_json()) | {"ingest_run": {"flow_run_id": "<script>"}}
    with pytest.raises(EventInvalid, match="ingest_run"):
        parse_event(payload)
