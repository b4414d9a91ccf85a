"""The stories stage on the real stack: assignments land in Elasticsearch, offsets are committed only for
what is persisted, a replay keeps the ids, a restart resumes its state from the topic."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import pytest
from confluent_kafka.admin import AdminClient, NewTopic
from elasticsearch import Elasticsearch, NotFoundError

from indexing.admin import reset_to_beginning
from indexing.indexer import run_until_caught_up
from indexing.search import SearchRequest, search
from indexing.stories.stage import StoriesStage
from schemas.settings import Settings
from tests.indexing.helpers import committed, documents, high_watermarks, produce_events
from tests.indexing.stories.articles import event, newsbench, syndicated

pytestmark = pytest.mark.stack

CAMPAIGN = "APNews_2024_09_03"
OIL = "EuronewsEN_2026_01_06"
PARTITIONS = 3  # tests/indexing/conftest.py's TEST_PARTITIONS


@pytest.fixture()
def ssettings(isettings: Settings, run_id: str, es: Elasticsearch) -> Iterator[Settings]:
    """The indexing test settings plus this test's own stories index, group and dead-letter topic."""
    settings = isettings.model_copy(
        update={
            "stories_index": f"stories-{run_id}",
            "stories_group": f"newsflow-stories-{run_id}",
            "stories_dlq_topic": f"articles.stories-dlq-{run_id}",
        }
    )
    admin = AdminClient({"bootstrap.servers": settings.kafka_bootstrap})
    for future in admin.create_topics([NewTopic(settings.stories_dlq_topic, 1, 1)]).values():
        future.result()
    yield settings
    for future in admin.delete_topics([settings.stories_dlq_topic]).values():
        with contextlib.suppress(Exception):
            future.result()
    with contextlib.suppress(NotFoundError):
        es.indices.delete(index=settings.stories_index)


def _all_committed(settings: Settings) -> bool:
    """The stories group committed the end of every partition that holds messages."""
    positions = committed(settings.model_copy(update={"indexer_group": settings.stories_group}), PARTITIONS)
    ends = high_watermarks(settings, PARTITIONS)
    return all(positions[p] == end for p, end in ends.items() if end > 0)


def _run(settings: Settings) -> StoriesStage:
    run_until_caught_up(settings)
    stage = StoriesStage(settings)
    stage.run(until_caught_up=True)
    return stage


def test_copies_collapse_and_the_story_gathers_its_sources_in_elasticsearch(
    ssettings: Settings, es: Elasticsearch
) -> None:
    group = syndicated(newsbench(CAMPAIGN), ("Kamala Harris", "Donald Trump"))
    oil = newsbench(OIL)
    other = event(9, oil.title, oil.paragraphs, domain="other.test", entities=("Venezuela",), hours=2)
    produce_events(ssettings, [group["original"], other])  # published first: the first seen copy
    _run(ssettings)
    produce_events(ssettings, [group["herald"], group["metro"], group["rewrite"]])
    stage = _run(ssettings)

    docs = documents(es, ssettings.index_alias)
    original = group["original"].id
    assert docs[group["herald"].id]["duplicate_of"] == docs[group["metro"].id]["duplicate_of"] == original
    assert {docs[e.id]["story_id"] for e in group.values()} == {original}
    assert docs[group["rewrite"].id]["duplicate_of"] is None
    assert docs[other.id]["story_id"] == other.id
    story = es.get(index=ssettings.stories_index, id=original)["_source"]
    assert (story["article_count"], story["source_count"]) == (4, 4)
    assert _all_committed(ssettings)
    assert (stage.report.assigned, stage.report.duplicates) == (3, 2)

    collapsed = search(es, ssettings.index_alias, SearchRequest(size=20))
    everything = search(es, ssettings.index_alias, SearchRequest(size=20, all_copies=True))
    assert {h.id for h in collapsed.hits} == {original, group["rewrite"].id, other.id}
    hit = next(h for h in collapsed.hits if h.id == original)
    assert (hit.copies, hit.copy_sources) == (2, ["herald.test", "metro.test"])
    assert everything.total == 5
    in_story = search(es, ssettings.index_alias, SearchRequest(story=original, all_copies=True, facets=True))
    assert in_story.total == 4
    assert {b.value: b.count for b in in_story.facets["stories"]} == {original: 4}


def test_a_replay_from_the_beginning_keeps_every_id(ssettings: Settings, es: Elasticsearch) -> None:
    events = [
        *syndicated(newsbench(CAMPAIGN), ("Donald Trump",)).values(),
        *syndicated(newsbench(OIL), ("Venezuela",), salt="oil").values(),
    ]
    produce_events(ssettings, events)
    _run(ssettings)
    assert {d.get("story_id") for d in documents(es, ssettings.index_alias).values()} != {None}
    before = {i: (d["story_id"], d["duplicate_of"]) for i, d in documents(es, ssettings.index_alias).items()}

    reset_to_beginning(ssettings, ssettings.stories_group, ssettings.articles_topic)
    replay = StoriesStage(ssettings)
    replay.run(until_caught_up=True)

    after = {i: (d["story_id"], d["duplicate_of"]) for i, d in documents(es, ssettings.index_alias).items()}
    assert after == before
    assert (replay.report.restored, replay.report.assigned) == (len(events), 0)
    assert _all_committed(ssettings)


def test_a_restart_resumes_its_state_from_the_topic(ssettings: Settings, es: Elasticsearch) -> None:
    group = syndicated(newsbench(CAMPAIGN), ("Kamala Harris", "Donald Trump"))
    produce_events(ssettings, [group["original"], group["herald"]])
    first = _run(ssettings)
    assert first.report.assigned == 2

    produce_events(ssettings, [group["metro"], group["rewrite"]])
    restarted = _run(ssettings)  # a new process: its state comes from the topic and the index

    assert restarted.report.restored == 2
    assert restarted.report.assigned == 2
    docs = documents(es, ssettings.index_alias)
    original = group["original"].id
    assert docs[group["metro"].id]["duplicate_of"] == original
    assert docs[group["rewrite"].id]["story_id"] == original
    assert es.get(index=ssettings.stories_index, id=original)["_source"]["article_count"] == 4
