"""The ``ingest-source`` flow against the simulated site, the real Kafka, Elasticsearch and Prefect server."""

from __future__ import annotations

import json

import pytest
from elasticsearch import Elasticsearch

from flows.index_flow import index_articles
from flows.ingest_flow import ingest_source
from flows.sim_site import SimSite
from schemas.article import parse_event
from schemas.settings import Settings
from tests.flows.conftest import (
    SIM_PAGES,
    UseSettings,
    artifact_markdown,
    recorded_run,
    table_counts,
    write_sources,
)
from tests.indexing.helpers import count
from tests.ingest.kafka_topic import read_topic

pytestmark = pytest.mark.stack

# A closed port on this machine: nothing listens on tcpmux.
CLOSED_KAFKA = "127.0.0.1:1"
# ensure_topics waits 30 s for an unreachable broker; the outcome is the same after 3 s.
UNREACHABLE_ADMIN_TIMEOUT_S = 3.0


def test_ingest_run_completes_and_its_artifact_counts_equal_kafka_and_elasticsearch(
    sim_site: SimSite, flow_settings: Settings, use_settings: UseSettings
) -> None:
    settings = use_settings(flow_settings)
    write_sources(
        settings,
        {
            "name": "sim-news",
            "type": "sitemap",
            "interval_s": 600,
            "location": f"{sim_site.base_url}/sitemap-news.xml",
        },
    )

    state = ingest_source("sim-news", workers=1, return_state=True)

    run = recorded_run(settings, state)
    assert run["state"]["type"] == "COMPLETED", run["state"]["message"]
    assert run["name"] == "ingest sim-news"
    counts = table_counts(artifact_markdown(settings, run["id"], "ingest-sim-news"))
    published, dead_lettered = counts["published (acknowledged by Kafka)"], counts["dead-lettered"]
    assert counts["discovered"] == SIM_PAGES
    assert published > SIM_PAGES // 2 and published + dead_lettered == SIM_PAGES
    assert state.result()["published"] == published

    records = read_topic(settings.kafka_bootstrap, settings.articles_topic)
    events = {record.key: parse_event(record.value) for record in records}
    assert len(events) == published
    assert all(event.source.name == "sim-news" for event in events.values())
    # event v4: each article names the flow run that published it (the search page links to it)
    assert {event.ingest_run.flow_run_id for event in events.values() if event.ingest_run} == {run["id"]}
    assert all(event.ingest_run for event in events.values())
    letters = read_topic(settings.kafka_bootstrap, settings.articles_dlq_topic) if dead_lettered else []
    assert len(letters) == dead_lettered

    index_state = index_articles(
        settings.articles_topic, settings.indexer_group, settings.index_alias, return_state=True
    )
    assert recorded_run(settings, index_state)["state"]["type"] == "COMPLETED"
    assert index_state.result()["indexed"] == published
    es = Elasticsearch(settings.es_url)
    try:
        assert count(es, settings.index_alias) == published
        found = es.search(index=settings.index_alias, size=SIM_PAGES, source=False)["hits"]["hits"]
        assert {hit["_id"] for hit in found} == set(events)
    finally:
        es.close()


def test_bad_pages_are_dead_lettered_and_the_run_still_completes(
    sim_site: SimSite, flow_settings: Settings, use_settings: UseSettings
) -> None:
    settings = use_settings(flow_settings)
    write_sources(
        settings,
        {"name": "sim-bad", "type": "rss", "interval_s": 600, "location": f"{sim_site.base_url}/bad/rss.xml"},
    )

    state = ingest_source("sim-bad", workers=1, return_state=True)

    run = recorded_run(settings, state)
    assert run["state"]["type"] == "COMPLETED", run["state"]["message"]
    markdown = artifact_markdown(settings, run["id"], "ingest-sim-bad")
    assert "| fetch | http_status:500 | 1 |" in markdown
    counts = table_counts(markdown)
    letters = [json.loads(r.value) for r in read_topic(settings.kafka_bootstrap, settings.articles_dlq_topic)]
    assert len(letters) == counts["dead-lettered"] > 0
    fate = {
        letter["url"].removeprefix(sim_site.base_url): (letter["stage"], letter["reason"])
        for letter in letters
    }
    assert fate["/bad/error-500.html"] == ("fetch", "http_status:500")
    assert fate["/bad/not-found.html"] == ("fetch", "http_status:404")
    assert all(letter["source"] == "sim-bad" for letter in letters)
    # the flaky page (503, then 200 on the retry) is published beside the dead letters
    records = read_topic(settings.kafka_bootstrap, settings.articles_topic)
    published = [parse_event(record.value).url for record in records]
    assert f"{sim_site.base_url}/bad/flaky.html" in published
    assert len(published) == counts["published (acknowledged by Kafka)"]


def test_unreachable_kafka_fails_the_run_with_what_to_do(
    flow_settings: Settings, use_settings: UseSettings, monkeypatch: pytest.MonkeyPatch
) -> None:
    import ingest.publish.topics

    monkeypatch.setattr(ingest.publish.topics, "ADMIN_TIMEOUT_S", UNREACHABLE_ADMIN_TIMEOUT_S)
    settings = use_settings(flow_settings.model_copy(update={"kafka_bootstrap": CLOSED_KAFKA}))
    write_sources(
        settings,
        {
            "name": "sim-any",
            "type": "rss",
            "interval_s": 600,
            "location": "http://127.0.0.1:9/never-fetched.xml",
        },
    )

    state = ingest_source("sim-any", workers=1, return_state=True)

    run = recorded_run(settings, state)
    assert run["state"]["type"] == "FAILED"
    message = run["state"]["message"]
    assert f"Kafka is unreachable at {CLOSED_KAFKA}" in message, message
    assert "newsflow stack up" in message and "NEWSFLOW_KAFKA_BOOTSTRAP" in message, message
