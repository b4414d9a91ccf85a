"""The index lifecycle against the real stack: an index from the older template (language multi-fields)
gets the new fields at once and the new mapping by a rebuild."""

from __future__ import annotations

import pytest
from elasticsearch import Elasticsearch

from indexing import templates
from indexing.documents import LANGUAGE_FIELDS, to_index_document
from indexing.rebuild import rebuild
from schemas.settings import Settings
from tests.indexing.factory import make_event
from tests.indexing.helpers import produce_events

pytestmark = pytest.mark.stack


def _older_mappings() -> dict:
    """The template's mappings as they were before the language fields: en/fr/de multi-fields instead."""
    mappings = templates.load_template_body()["template"]["mappings"]
    mappings.pop("_source")
    properties = mappings["properties"]
    for name in LANGUAGE_FIELDS:
        properties.pop(name)
    for name in ("title", "description", "text"):
        fields = properties[name].setdefault("fields", {})
        for lang, analyzer in (("en", "english"), ("fr", "french"), ("de", "german")):
            fields[lang] = {"type": "text", "analyzer": analyzer, "index_options": "offsets"}
    return mappings


def test_ensure_index_adds_the_new_fields_to_an_older_index(isettings: Settings, es: Elasticsearch) -> None:
    alias = isettings.index_alias
    index = templates.index_name(alias, 1)
    es.indices.create(index=index, mappings=_older_mappings(), aliases={alias: {"is_write_index": True}})
    event = make_event(1, language="en")
    with pytest.raises(Exception, match="strict_dynamic_mapping"):
        es.index(index=alias, id=event.id, document=to_index_document(event))

    assert templates.ensure_index(es, alias) == index
    mapped = es.indices.get_mapping(index=index).body[index]["mappings"]["properties"]
    assert set(LANGUAGE_FIELDS) <= set(mapped)
    assert "en" in mapped["text"]["fields"]  # what was there stays (until `newsflow index rebuild`)
    es.index(index=alias, id=event.id, document=to_index_document(event), refresh=True)
    assert templates.add_missing_fields(es, index) == []  # idempotent


def test_rebuild_moves_an_older_index_to_the_new_mapping(isettings: Settings, es: Elasticsearch) -> None:
    alias = isettings.index_alias
    es.indices.create(
        index=templates.index_name(alias, 1),
        mappings=_older_mappings(),
        aliases={alias: {"is_write_index": True}},
    )
    events = [make_event(i, salt="upgrade") for i in range(30)]
    produce_events(isettings, events)
    result = rebuild(isettings)
    assert result.new_index == templates.index_name(alias, 2) and result.before_swap.indexed == len(events)
    mappings = es.indices.get_mapping(index=result.new_index).body[result.new_index]["mappings"]
    assert "fields" not in mappings["properties"]["text"] and "text_en" in mappings["properties"]
    english = sum(1 for e in events if e.language == "en")
    assert es.count(index=alias, query={"exists": {"field": "text_en"}})["count"] == english > 0


def test_an_older_index_gets_the_replica_policy_and_stays_green_on_one_node(
    isettings: Settings, es: Elasticsearch
) -> None:
    alias = isettings.index_alias
    index = templates.index_name(alias, 1)
    es.indices.create(
        index=index,
        settings={"number_of_replicas": 0},
        mappings={"properties": {"id": {"type": "keyword"}}},
        aliases={alias: {"is_write_index": True}},
    )
    assert templates.ensure_index(es, alias) == index
    settings = es.indices.get_settings(index=index).body[index]["settings"]["index"]
    assert settings["auto_expand_replicas"] == "0-1"
    assert settings["number_of_replicas"] == "0"  # one data node: a replica could never be placed
    assert es.cluster.health(index=index, wait_for_status="green", timeout="30s")["status"] == "green"
    assert templates.apply_replica_policy(es, index) is False  # idempotent
