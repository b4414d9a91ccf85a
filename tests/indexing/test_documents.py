import json

import pytest

from indexing.documents import (
    ENTITY_KIND_FIELDS,
    LANGUAGE_FIELDS,
    UndecodableEvent,
    decode_event,
    to_index_document,
)
from indexing.failure_policy import Failure
from indexing.templates import load_template_body
from schemas.article import Entity
from tests.indexing.factory import make_event


def test_document_has_one_keyword_array_per_entity_kind() -> None:
    event = make_event(
        1,
        entities=[
            Entity(text="Angela Merkel", label="PERSON", mentions=1),
            Entity(text="Olaf Scholz", label="PERSON", mentions=5),
            Entity(text="Berlin", label="GPE", mentions=1),
            Entity(text="Rhine", label="LOC", mentions=1),
            Entity(text="BER Airport", label="FAC", mentions=1),
            Entity(text="Germans", label="NORP", mentions=1),
            Entity(text="Siemens", label="ORG", mentions=1),
            Entity(text="Basic Law", label="LAW", mentions=1),
        ],
    )
    doc = to_index_document(event)
    assert doc["persons"] == ["Olaf Scholz", "Angela Merkel"]  # most mentioned first
    assert doc["locations"] == ["Berlin", "Rhine", "BER Airport"]
    assert doc["groups"] == ["Germans"]
    assert doc["organisations"] == ["Siemens"]
    assert doc["laws"] == ["Basic Law"]
    assert doc["events"] == [] and doc["works"] == [] and doc["products"] == []
    assert doc["entities"][1] == {"text": "Olaf Scholz", "label": "PERSON", "mentions": 5, "forms": []}


def test_document_carries_id_revision_dates_and_facets() -> None:
    event = make_event(7, revision=3)
    doc = to_index_document(event)
    assert doc["id"] == event.id and doc["revision"] == 3
    assert doc["published_at"] == event.published_at.isoformat()
    assert doc["mentioned_dates"] == ["2023-05"]
    assert doc["source"] == {"domain": event.source.domain, "name": event.source.name}
    json.dumps(doc)  # serialisable as is


def test_document_fields_are_the_mapping_fields_but_other_languages_copies() -> None:
    mapped = set(load_template_body()["template"]["mappings"]["properties"])
    doc = to_index_document(make_event(1, language="en"))
    stories_stage_fields = {"story_id", "duplicate_of"}  # written by the stories stage (indexing/stories)
    assert set(doc) | set(LANGUAGE_FIELDS) | stories_stage_fields == mapped
    assert set(doc) & set(LANGUAGE_FIELDS) == {"title_en", "description_en", "text_en"}
    assert set(ENTITY_KIND_FIELDS) <= mapped


def test_language_copies_are_excluded_from_source() -> None:
    mappings = load_template_body()["template"]["mappings"]
    assert set(mappings["_source"]["excludes"]) == set(LANGUAGE_FIELDS)
    assert mappings["dynamic"] == "strict"


@pytest.mark.parametrize("language", ["en", "fr", "de"])
def test_an_article_gets_the_language_copies_of_its_own_language_only(language: str) -> None:
    event = make_event(2, language=language)
    doc = to_index_document(event)
    copies = {field: doc[field] for field in LANGUAGE_FIELDS if field in doc}
    assert copies == {
        f"title_{language}": event.title,
        f"description_{language}": event.description,
        f"text_{language}": event.text,
    }


@pytest.mark.parametrize("language", ["es", None])
def test_an_article_in_another_or_no_language_gets_only_the_main_fields(language: str | None) -> None:
    doc = to_index_document(make_event(3, language=language))
    assert not set(doc) & set(LANGUAGE_FIELDS)
    assert doc["title"] and doc["text"]


def test_a_missing_text_field_gets_no_copy() -> None:
    doc = to_index_document(make_event(4, language="fr", description=None))
    assert "description_fr" not in doc and "title_fr" in doc and "text_fr" in doc


@pytest.mark.parametrize(
    ("value", "failure"),
    [
        (b"not json at all", Failure.UNDECODABLE),
        (b"\xff\xfe\x00", Failure.UNDECODABLE),
        (None, Failure.UNDECODABLE),
        (b'{"id": "x"}', Failure.SCHEMA_INVALID),
    ],
)
def test_undecodable_values_are_classified(value: bytes | None, failure: Failure) -> None:
    with pytest.raises(UndecodableEvent) as caught:
        decode_event(value)
    assert caught.value.failure is failure
    assert caught.value.detail


def test_decode_roundtrip() -> None:
    event = make_event(3)
    assert decode_event(event.model_dump_json().encode()) == event
