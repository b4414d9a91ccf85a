"""Stable person/org ids across articles: the SQLite registry, its persistence and its rebuild from Kafka."""

from __future__ import annotations

from pathlib import Path

import pytest
from confluent_kafka import Producer
from confluent_kafka.admin import AdminClient, NewTopic

from ingest.entity_registry import EntityRegistry, slug
from ingest.registry_rebuild import rebuild_registry
from schemas.article import Entity
from schemas.settings import Settings
from tests.indexing.factory import make_event


def _person(text: str, *forms: str) -> Entity:
    return Entity(text=text, label="PERSON", mentions=1 + len(forms), forms=[text, *forms])


def _ids(registry: EntityRegistry, *entities: Entity) -> list[tuple[str | None, str]]:
    (identified,) = registry.identify([list(entities)])
    return [(e.id, e.text) for e in identified]


def test_a_surname_maps_to_the_one_full_name_seen_before(tmp_path: Path) -> None:
    registry = EntityRegistry(tmp_path / "r.sqlite3")
    assert _ids(registry, _person("Joe Biden", "Biden")) == [("person:joe-biden", "Joe Biden")]
    assert _ids(registry, _person("Biden")) == [("person:joe-biden", "Joe Biden")]
    surname_as_org = Entity(text="Biden", label="ORG", mentions=1, forms=["Biden"])
    assert _ids(registry, surname_as_org) == [("person:joe-biden", "Joe Biden")]


def test_an_ambiguous_surname_keeps_its_own_id(tmp_path: Path) -> None:
    registry = EntityRegistry(tmp_path / "r.sqlite3")
    _ids(registry, _person("Joe Biden"), _person("Hunter Biden"))
    assert _ids(registry, _person("Biden")) == [("person:biden", "Biden")]


def test_acronyms_seen_with_their_name_map_to_it(tmp_path: Path) -> None:
    registry = EntityRegistry(tmp_path / "r.sqlite3")
    eu = Entity(text="European Union", label="ORG", mentions=3, forms=["European Union", "EU"])
    _ids(registry, eu)
    assert _ids(registry, Entity(text="EU", label="ORG", mentions=1, forms=["EU"])) == [
        ("org:european-union", "European Union")
    ]


def test_the_registry_survives_a_restart(tmp_path: Path) -> None:
    path = tmp_path / "r.sqlite3"
    first = EntityRegistry(path)
    _ids(first, _person("Angela Merkel", "Merkel"))
    first.close()
    assert _ids(EntityRegistry(path), _person("Merkel")) == [("person:angela-merkel", "Angela Merkel")]


def test_slugs_are_ascii() -> None:
    assert slug("Jean-Luc Mélenchon") == "jean-luc-melenchon" and slug("O’Rourke") == "orourke"


@pytest.mark.stack
def test_rebuild_from_the_topic_restores_ids(stack: Settings, run_id: str, tmp_path: Path) -> None:
    settings = stack.model_copy(update={"articles_topic": f"articles-registry-{run_id}"})
    admin = AdminClient({"bootstrap.servers": settings.kafka_bootstrap})
    for future in admin.create_topics([NewTopic(settings.articles_topic, 2, 1)]).values():
        future.result()
    try:
        live = EntityRegistry(tmp_path / "live.sqlite3")
        (first,) = live.identify([[_person("Olaf Scholz", "Scholz")]])
        (second,) = live.identify([[_person("Scholz")]])
        events = [make_event(1, salt=run_id, entities=first), make_event(2, salt=run_id, entities=second)]
        producer = Producer({"bootstrap.servers": settings.kafka_bootstrap})
        for partition, event in enumerate(events):  # one event per partition: each partition's end is read
            producer.produce(settings.articles_topic, event.model_dump_json(), event.id, partition=partition)
        assert producer.flush(30) == 0

        rebuilt = EntityRegistry(tmp_path / "rebuilt.sqlite3")
        rebuilt.identify([[_person("Scholz Unrelated")]])  # replaced by the rebuild
        report = rebuild_registry(settings, rebuilt)
        assert (report.events, report.skipped, report.entities, report.names) == (2, 0, 2, 1)
        assert _ids(rebuilt, _person("Scholz")) == [("person:olaf-scholz", "Olaf Scholz")]
    finally:
        for future in admin.delete_topics([settings.articles_topic]).values():
            future.result()
