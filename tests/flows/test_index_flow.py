"""The ``index-articles`` micro-batch flow: everything on the topic indexed, lag 0 reported at the end."""

from __future__ import annotations

import pytest
from elasticsearch import Elasticsearch

from flows.index_flow import index_articles
from ingest.publish.topics import ensure_topics
from schemas.settings import Settings
from tests.flows.conftest import TEST_PARTITIONS, UseSettings, artifact_markdown, recorded_run, table_counts
from tests.indexing.factory import make_event
from tests.indexing.helpers import count, produce, produce_events

pytestmark = pytest.mark.stack

EVENTS = 40


def test_index_run_indexes_every_event_and_reports_lag_zero_per_partition(
    flow_settings: Settings, use_settings: UseSettings, run_id: str
) -> None:
    settings = use_settings(flow_settings)
    ensure_topics(settings)
    produce_events(settings, (make_event(i, salt=run_id) for i in range(EVENTS)))
    produce(settings, [("not-an-event", b"{not json")])  # dead-lettered: its offset counts as done

    state = index_articles(
        settings.articles_topic, settings.indexer_group, settings.index_alias, return_state=True
    )

    run = recorded_run(settings, state)
    assert run["state"]["type"] == "COMPLETED", run["state"]["message"]
    result = state.result()
    partitions = [f"{settings.articles_topic}[{p}]" for p in range(TEST_PARTITIONS)]
    assert (result["indexed"], result["dead_lettered"]) == (EVENTS, 1)
    assert result["lag"] == dict.fromkeys(partitions, 0)

    counts = table_counts(artifact_markdown(settings, run["id"], "index-report"))
    assert (counts["indexed"], counts["dead-lettered"], counts["total lag"]) == (EVENTS, 1, 0)
    assert {p: counts[p] for p in partitions} == dict.fromkeys(partitions, 0)

    es = Elasticsearch(settings.es_url)
    try:
        assert count(es, settings.index_alias) == EVENTS
    finally:
        es.close()
