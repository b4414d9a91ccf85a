"""Places in the index: geo_point search (--near), place ids (--place) and id facets with display names."""

from __future__ import annotations

import json

import pytest
from elasticsearch import Elasticsearch
from typer.testing import CliRunner

from flows.cli import app
from indexing import indexer
from indexing.search import SearchRequest, search
from schemas.article import ArticleEvent, Entity
from schemas.settings import Settings, get_settings
from tests.indexing.factory import make_event
from tests.indexing.helpers import produce_events

pytestmark = pytest.mark.stack

PARIS_FR = Entity(text="Paris", label="GPE", mentions=2, id="place:2988507", geonames_id=2988507,
                  country="FR", lat=48.85341, lon=2.3488, kind="city")  # fmt: skip
PARIS_TX = Entity(text="Paris", label="GPE", mentions=1, id="place:4717560", geonames_id=4717560,
                  country="US", lat=33.66094, lon=-95.55551, kind="city")  # fmt: skip
KYIV = Entity(text="Kyiv", label="GPE", mentions=1, forms=["Kiev"], id="place:703448", geonames_id=703448,
              country="UA", lat=50.45466, lon=30.5238, kind="city")  # fmt: skip
BIDEN = Entity(text="Joe Biden", label="PERSON", mentions=3, forms=["Biden"], id="person:joe-biden")


@pytest.fixture()
def indexed(isettings: Settings, es: Elasticsearch) -> dict[str, ArticleEvent]:
    events = {
        "france": make_event(1, salt="places", entities=[PARIS_FR, BIDEN]),
        "texas": make_event(2, salt="places", entities=[PARIS_TX, BIDEN]),
        "kyiv": make_event(3, salt="places", entities=[KYIV]),
        "v1": make_event(4, salt="places", entities=[Entity(text="Paris", label="GPE", mentions=1)]),
    }
    produce_events(isettings, events.values())
    indexer.run_until_caught_up(isettings)
    es.indices.refresh(index=isettings.index_alias)
    return events


def _ids(isettings: Settings, es: Elasticsearch, request: SearchRequest) -> set[str]:
    return {hit.id for hit in search(es, isettings.index_alias, request).hits}


def test_near_finds_articles_naming_a_place_within_the_distance(
    isettings: Settings, es: Elasticsearch, indexed: dict[str, ArticleEvent]
) -> None:
    assert _ids(isettings, es, SearchRequest(near=(48.86, 2.35, 50))) == {indexed["france"].id}
    assert _ids(isettings, es, SearchRequest(near=(33.0, -96.0, 200))) == {indexed["texas"].id}
    assert _ids(isettings, es, SearchRequest(near=(0.0, 0.0, 100))) == set()


def test_place_id_filter_and_id_facets_with_display_names(
    isettings: Settings, es: Elasticsearch, indexed: dict[str, ArticleEvent]
) -> None:
    assert _ids(isettings, es, SearchRequest(place_id="place:703448")) == {indexed["kyiv"].id}
    result = search(es, isettings.index_alias, SearchRequest(facets=True, size=0))
    places = {(b.id, b.value): b.count for b in result.facets["place_ids"]}
    assert places == {
        ("place:2988507", "Paris"): 1,
        ("place:4717560", "Paris"): 1,
        ("place:703448", "Kyiv"): 1,
    }
    assert [(b.id, b.value, b.count) for b in result.facets["person_ids"]] == [
        ("person:joe-biden", "Joe Biden", 2)
    ]
    assert {b.value: b.count for b in result.facets["locations"]}[
        "Paris"
    ] == 3  # by name: the two Parises mix


def test_cli_near_and_place(
    isettings: Settings, es: Elasticsearch, indexed: dict[str, ArticleEvent], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NEWSFLOW_INDEX_ALIAS", isettings.index_alias)
    monkeypatch.setenv("NEWSFLOW_ES_URL", isettings.es_url)
    get_settings.cache_clear()
    try:
        runner = CliRunner()
        near = runner.invoke(app, ["search", "--near", "50.4,30.5,25", "--json"])
        assert near.exit_code == 0, near.output
        assert [hit["id"] for hit in json.loads(near.stdout)["hits"]] == [indexed["kyiv"].id]
        place = runner.invoke(app, ["search", "--place", "Kiew", "--json"])  # German spelling, same place
        assert place.exit_code == 0, place.output
        assert [hit["id"] for hit in json.loads(place.stdout)["hits"]] == [indexed["kyiv"].id]
        bad = runner.invoke(app, ["search", "--near", "95,2,10"])
        assert bad.exit_code == 2 and "latitude" in bad.output
    finally:
        get_settings.cache_clear()
