"""Fixtures for flow tests: flows run in this process and are recorded by the stack's Prefect server.

Each test gets its own topics, index alias, consumer group, data dir and ``sources.yaml``, handed to
the flows the way production does it: ``NEWSFLOW_*`` environment variables read by ``get_settings``.
"""

from __future__ import annotations

import contextlib
import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml
from confluent_kafka.admin import AdminClient
from elasticsearch import Elasticsearch, NotFoundError

from flows.prefect_env import use_configured_server
from flows.sim_site import SimSite, load_pages
from schemas.settings import Settings, get_settings
from tests.indexing.helpers import wait_for
from tests.ingest.conftest import fast_settings

# Before anything imports prefect: flow runs, states and artifacts go to the stack's server.
use_configured_server(get_settings())

# 24 corpus pages: every outlet represented, one ingestion run takes seconds.
SIM_PAGES = 24
# /bad/slow.html answers after this long; the test fetch timeouts (fast_settings) are far below it.
SIM_SLOW_S = 8.0
# Few partitions: enough to check lag per partition, cheap on the single local broker.
TEST_PARTITIONS = 3

UseSettings = Callable[[Settings], Settings]


@pytest.fixture()
def prefect_server(stack: Settings) -> Settings:
    """The stack, once it is sure that flows run here are recorded by its Prefect server."""
    from prefect.settings import PREFECT_API_URL

    assert PREFECT_API_URL.value() == stack.api_url, "prefect was imported before tests/flows/conftest.py"
    return stack


@pytest.fixture()
def sim_site(corpus_dir: Path) -> Iterator[SimSite]:
    with SimSite(load_pages(SIM_PAGES), slow_s=SIM_SLOW_S) as site:
        yield site


@pytest.fixture()
def flow_settings(prefect_server: Settings, tmp_path: Path, run_id: str) -> Iterator[Settings]:
    """This test's own topics, alias, group and data dir; topics and indices are removed afterwards."""
    settings = fast_settings(
        tmp_path,
        kafka_bootstrap=prefect_server.kafka_bootstrap,
        es_url=prefect_server.es_url,
        prefect_url=prefect_server.prefect_url,
        articles_topic=f"articles-{run_id}",
        articles_dlq_topic=f"articles.dlq-{run_id}",
        index_dlq_topic=f"articles.index-dlq-{run_id}",
        articles_partitions=TEST_PARTITIONS,
        index_alias=f"articles-{run_id}",
        indexer_group=f"newsflow-indexer-{run_id}",
        indexer_linger_ms=200,
        sources_file=tmp_path / "sources.yaml",
    )
    yield settings
    admin = AdminClient({"bootstrap.servers": settings.kafka_bootstrap})
    topics = [settings.articles_topic, settings.articles_dlq_topic, settings.index_dlq_topic]
    for future in admin.delete_topics(topics, operation_timeout=30).values():
        with contextlib.suppress(Exception):  # a topic this test never created
            future.result()
    es = Elasticsearch(settings.es_url)
    try:
        indices = es.indices.get(index=f"{settings.index_alias}-v*", allow_no_indices=True).body
        if indices:
            es.indices.delete(index=",".join(indices))
        with contextlib.suppress(NotFoundError):
            es.indices.delete_index_template(name=f"{settings.index_alias}-template")
    finally:
        es.close()


@pytest.fixture()
def use_settings() -> Iterator[UseSettings]:
    """``use(settings)``: the flows' ``get_settings()`` returns exactly these until the test ends."""
    with pytest.MonkeyPatch.context() as patch:

        def use(settings: Settings) -> Settings:
            for name, value in settings.model_dump(mode="json").items():
                env = value if isinstance(value, str) else json.dumps(value)
                patch.setenv(f"NEWSFLOW_{name.upper()}", env)
            get_settings.cache_clear()
            assert get_settings() == settings
            return settings

        yield use
    get_settings.cache_clear()


def write_sources(settings: Settings, *sources: dict[str, object]) -> None:
    settings.sources_file.write_text(yaml.safe_dump({"sources": list(sources)}), encoding="utf-8")


def api(settings: Settings, method: str, path: str, **kwargs: Any) -> Any:
    """One call to the Prefect REST API; the decoded JSON body (None when empty)."""
    response = httpx.request(method, f"{settings.api_url}{path}", timeout=30, **kwargs)
    response.raise_for_status()
    return response.json() if response.content else None


def artifact_markdown(settings: Settings, flow_run_id: object, key: str) -> str:
    """The markdown artifact ``key`` of a flow run, as the Prefect server stores it."""
    artifacts = api(
        settings,
        "POST",
        "/artifacts/filter",
        json={"artifacts": {"flow_run_id": {"any_": [str(flow_run_id)]}}},
    )
    found = [a for a in artifacts if a["key"] == key]
    assert len(found) == 1, f"artifacts of run {flow_run_id}: {[a['key'] for a in artifacts]}"
    assert found[0]["type"] == "markdown"
    return found[0]["data"]


def table_counts(markdown: str) -> dict[str, int]:
    """Every two-column table row with a whole number, e.g. ``| published (...) | 12 |``."""
    return {label: int(n) for label, n in re.findall(r"^\| ([^|]+?) \| (\d+) \|$", markdown, re.MULTILINE)}


def recorded_run(settings: Settings, state: Any) -> dict[str, Any]:
    """The flow run of an in-process ``return_state=True`` call, once the server has its final state."""

    def final() -> dict[str, Any] | None:
        run = api(settings, "GET", f"/flow_runs/{state.state_details.flow_run_id}")
        return run if run["state"]["type"] == state.type.value else None

    return wait_for(final, timeout_s=30, what=f"the server to record the run as {state.type.value}")
