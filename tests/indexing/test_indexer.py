"""The indexer against the real Kafka and Elasticsearch, in-process (the kill -9 test is in test_crash)."""

from __future__ import annotations

import json
import threading

import pytest
from elasticsearch import Elasticsearch

from indexing import admin, indexer, templates
from indexing.documents import LANGUAGE_FIELDS, to_index_document
from indexing.failure_policy import Backoff
from indexing.rebuild import rebuild
from schemas.settings import Settings
from tests.indexing.factory import make_event
from tests.indexing.helpers import (
    TcpProxy,
    committed,
    count,
    documents,
    high_watermarks,
    produce,
    produce_events,
    read_topic,
    wait_for,
)

pytestmark = pytest.mark.stack
N = 300


def test_n_events_become_n_documents_with_the_right_fields(isettings: Settings, es: Elasticsearch) -> None:
    events = [make_event(i, salt=isettings.index_alias) for i in range(N)]
    produce_events(isettings, events)
    report = indexer.run_until_caught_up(isettings)
    assert (report.indexed, report.dead_lettered) == (N, 0)
    assert set(report.lag.values()) == {0}
    docs = documents(es, isettings.index_alias)
    assert len(docs) == N
    for event in events[:20]:
        doc = docs[event.id]
        expected = {k: v for k, v in to_index_document(event).items() if k not in LANGUAGE_FIELDS}
        assert {k: doc[k] for k in expected} == json.loads(json.dumps(expected))
        assert not set(doc) & set(LANGUAGE_FIELDS)  # indexed, but left out of _source
        assert doc["_version"] == event.revision


def test_the_same_events_again_still_make_n_documents(isettings: Settings, es: Elasticsearch) -> None:
    events = [make_event(i, salt=isettings.index_alias) for i in range(N)]
    produce_events(isettings, events)
    produce_events(isettings, events)  # duplicates in the topic
    indexer.run_until_caught_up(isettings)
    admin.reset_to_beginning(isettings, isettings.indexer_group, isettings.articles_topic)
    replay = indexer.run_until_caught_up(isettings)  # replay of the whole topic
    assert replay.indexed == 2 * N  # 409 (already there) counts as indexed
    assert count(es, isettings.index_alias) == N


def test_an_older_revision_after_a_newer_one_leaves_the_newer(isettings: Settings, es: Elasticsearch) -> None:
    newer, older = make_event(1, revision=3, salt="rev"), make_event(1, revision=2, salt="rev")
    produce_events(isettings, [newer, older, make_event(2, revision=1, salt="rev")])
    indexer.run_until_caught_up(isettings)
    doc = documents(es, isettings.index_alias)[newer.id]
    assert (doc["revision"], doc["_version"]) == (3, 3)
    assert "revision 3" in doc["text"]


def test_poison_and_mapping_rejected_events_are_dead_lettered_with_reasons(
    isettings: Settings, es: Elasticsearch
) -> None:
    events = [make_event(i, salt="poison") for i in range(20)]
    rejected = make_event(99, salt="poison").model_dump(mode="json")
    rejected["dates"] = [
        {"text": "in the 13th month", "value": "2024-13", "granularity": "month"}
    ]  # schema ok
    produce_events(isettings, events[:10])
    produce(
        isettings,
        [(None, b"\x00not json{"), ("k", json.dumps({"id": "nope"})), (rejected["id"], json.dumps(rejected))],
    )
    produce_events(isettings, events[10:])

    report = indexer.run_until_caught_up(isettings)

    assert (report.indexed, report.dead_lettered) == (20, 3)
    assert count(es, isettings.index_alias) == 20
    letters = [json.loads(m.value()) for m in read_topic(isettings, isettings.index_dlq_topic, expected=3)]
    by_stage = {letter["stage"]: letter for letter in letters}
    assert set(by_stage) == {"decode", "validate", "index"}
    assert by_stage["decode"]["reason"] == "undecodable"
    assert by_stage["validate"]["reason"] == "schema_invalid" and by_stage["validate"]["detail"]
    index_letter = by_stage["index"]
    assert index_letter["reason"] == "es:document_parsing_exception"
    assert "mentioned_dates" in index_letter["detail"] and index_letter["article_id"] == rejected["id"]
    assert {letter["topic"] for letter in letters} == {isettings.articles_topic}
    assert all(letter["offset"] is not None for letter in letters)
    assert set(committed(isettings, 3).values()) == set(high_watermarks(isettings, 3).values())


def test_two_indexers_in_one_group_share_partitions_and_index_n(
    isettings: Settings, es: Elasticsearch
) -> None:
    templates.ensure_index(es, isettings.index_alias)
    members = [indexer.Indexer(isettings), indexer.Indexer(isettings)]
    threads = [threading.Thread(target=member.run) for member in members]
    for thread in threads:
        thread.start()
    try:
        wait_for(lambda: all(member.assignment() for member in members), what="both members assigned")
        events = [make_event(i, salt="two") for i in range(N)]
        produce_events(isettings, events)
        wait_for(lambda: count(es, isettings.index_alias) == N, what="N documents")
    finally:
        for member in members:
            member.stop()
        for thread in threads:
            thread.join(60)
    assert all(member.report.indexed > 0 for member in members)
    assert sum(member.report.indexed for member in members) == N
    assert count(es, isettings.index_alias) == N


def test_elasticsearch_outage_pauses_then_resumes_without_committing_ahead(
    isettings: Settings, es: Elasticsearch
) -> None:
    host, port = es.transport.node_pool.get().config.host, es.transport.node_pool.get().config.port
    proxy = TcpProxy((host, port))
    through_proxy = Elasticsearch(proxy.url, request_timeout=5)
    templates.ensure_index(es, isettings.index_alias)
    member = indexer.Indexer(isettings, es=through_proxy, backoff=Backoff(initial_ms=100, max_ms=500))
    thread = threading.Thread(target=member.run)
    thread.start()
    try:
        first = [make_event(i, salt="outage") for i in range(N // 2)]
        positions = produce_events(isettings, first)
        wait_for(lambda: count(es, isettings.index_alias) == N // 2, what="first half indexed")

        proxy.cut_off()
        second = [make_event(i, salt="outage") for i in range(N // 2, N)]
        positions += produce_events(isettings, second)
        events = first + second
        for attempts in (3, 6, 9):  # the indexer keeps retrying; commits never pass what ES has
            wait_for(lambda attempts=attempts: proxy.refused >= attempts, what=f"{attempts} refused attempts")
            assert_committed_not_ahead(isettings, es, events, positions)
        assert count(es, isettings.index_alias) == N // 2
        assert member.assignment(), "still a member of the group while waiting"

        proxy.restore()
        wait_for(lambda: count(es, isettings.index_alias) == N, what="all N after ES is back")
    finally:
        member.stop()
        thread.join(60)
        proxy.close()
    assert_committed_not_ahead(isettings, es, events, positions)
    assert member.report.indexed == N


def assert_committed_not_ahead(
    settings: Settings, es: Elasticsearch, events: list, positions: list[tuple[int, int]]
) -> None:
    """Every event below a partition's committed offset is in the index."""
    offsets = committed(settings, 3)
    present = set(documents(es, settings.index_alias))
    for event, (partition, offset) in zip(events, positions, strict=True):
        if offset < offsets[partition]:
            assert event.id in present, f"committed {offsets[partition]} past unindexed offset {offset}"


def test_rebuild_fills_the_next_version_and_swaps_the_alias(isettings: Settings, es: Elasticsearch) -> None:
    produce_events(isettings, [make_event(i, salt="rebuild") for i in range(N)])
    indexer.run_until_caught_up(isettings)
    result = rebuild(isettings)
    assert result.new_index == f"{isettings.index_alias}-v2"
    assert result.old_indices == [f"{isettings.index_alias}-v1"]
    assert templates.indices_behind(es, isettings.index_alias) == [result.new_index]
    assert result.before_swap.indexed == N
    assert count(es, isettings.index_alias) == N
