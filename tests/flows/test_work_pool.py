"""The work-pool path: ``newsflow deploy --pool`` registers a source on a Prefect process work pool, a
``newsflow worker`` (started here, stopped after) runs its flow run, and the articles are searchable."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from elasticsearch import Elasticsearch
from typer.testing import CliRunner

from flows.cli import app
from flows.index_flow import index_articles
from schemas.settings import REPO_ROOT, Settings
from tests.flows.conftest import UseSettings, api, recorded_run, write_sources
from tests.indexing.helpers import count, wait_for

pytestmark = pytest.mark.stack

# The worker asks the server for work every second (Prefect's default is 10 s): the run starts at once.
WORKER_QUERY_S = "1"
# A flow run in a fresh process: Prefect, the extraction and NER models load before the first page.
RUN_TIMEOUT_S = 120.0
# A worker stops within seconds of SIGTERM; past this it is killed.
WORKER_STOP_S = 20.0
FINAL_STATES = frozenset({"COMPLETED", "FAILED", "CRASHED", "CANCELLED"})

TOPICS = (
    ("the-harbour", "Harbour cranes return after the winter storms"),
    ("the-library", "City library extends its opening hours to Sunday"),
    ("the-orchard", "Orchard growers expect an early apple harvest"),
)


def _page(slug: str, title: str) -> str:
    paragraph = (
        f"Residents gathered on Tuesday to hear how {slug.replace('-', ' ')} plans will change the town. "
        "The council said the work would begin in spring and last for about two years, with most of the "
        "cost shared between the regional government and local businesses. Several speakers asked how "
        "traffic would be managed during construction, and officials promised a public plan next month."
    )
    return (
        f"<html lang='en'><head><title>{title}</title>"
        "<meta property='article:published_time' content='2026-11-30T08:00:00Z'></head>"
        f"<body><article><h1>{title}</h1>"
        + "".join(f"<p>{paragraph} ({n})</p>" for n in range(1, 5))
        + "</article></body></html>"
    )


@pytest.fixture()
def html_dir(tmp_path: Path) -> dict[str, str]:
    """Three article pages in a folder with their urls.tsv: file name -> URL."""
    folder = tmp_path / "pages"
    folder.mkdir()
    urls = {f"{slug}.html": f"https://news.example.org/2026/11/{slug}" for slug, _ in TOPICS}
    for slug, title in TOPICS:
        (folder / f"{slug}.html").write_text(_page(slug, title), encoding="utf-8")
    (folder / "urls.tsv").write_text("".join(f"{name}\t{url}\n" for name, url in urls.items()))
    return urls


@pytest.fixture()
def pool(flow_settings: Settings, run_id: str) -> Iterator[str]:
    """A pool name unique to the test; the pool and its deployments are deleted afterwards."""
    name = f"t-{run_id}-pool"
    yield name
    deployments = api(
        flow_settings, "POST", "/deployments/filter", json={"work_pools": {"name": {"any_": [name]}}}
    )
    for deployment in deployments:
        with contextlib.suppress(httpx.HTTPStatusError):
            api(flow_settings, "DELETE", f"/deployments/{deployment['id']}")
    with contextlib.suppress(httpx.HTTPStatusError):
        api(flow_settings, "DELETE", f"/work_pools/{name}")


@contextlib.contextmanager
def worker(pool: str, log: Path) -> Iterator[subprocess.Popen[bytes]]:
    """``newsflow worker --pool POOL`` in its own session, with this process's NEWSFLOW_* settings."""
    env = os.environ | {"PYTHONPATH": str(REPO_ROOT), "PREFECT_WORKER_QUERY_SECONDS": WORKER_QUERY_S}
    with log.open("ab") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "flows.cli", "worker", "--pool", pool],
            env=env,
            cwd=REPO_ROOT,
            stdout=out,
            stderr=out,
            start_new_session=True,
        )
    try:
        yield proc
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(WORKER_STOP_S)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def test_a_worker_of_the_pool_runs_the_deployed_source_and_its_articles_become_searchable(
    flow_settings: Settings, use_settings: UseSettings, html_dir: dict[str, str], pool: str, tmp_path: Path
) -> None:
    settings = use_settings(flow_settings)
    source = f"t-{pool}-local"
    folder = tmp_path / "pages"
    write_sources(settings, {"name": source, "type": "html_dir", "location": str(folder), "interval_s": 3600})

    result = CliRunner().invoke(app, ["deploy", source, "--pool", pool, "--no-schedule"])
    assert result.exit_code == 0, result.output
    deployment = api(settings, "GET", f"/deployments/name/ingest-source/{source}")
    assert deployment["work_pool_name"] == pool
    assert deployment["schedules"] == []
    assert deployment["pull_steps"] == [
        {"prefect.deployments.steps.set_working_directory": {"directory": str(REPO_ROOT)}}
    ]
    assert api(settings, "GET", f"/work_pools/{pool}")["type"] == "process"

    with worker(pool, tmp_path / "worker.log") as proc:
        run = api(
            settings,
            "POST",
            f"/deployments/{deployment['id']}/create_flow_run",
            json={"parameters": {"source_name": source, "workers": 1}},
        )

        def finished() -> dict | None:
            assert proc.poll() is None, (tmp_path / "worker.log").read_text(errors="replace")[-3000:]
            current = api(settings, "GET", f"/flow_runs/{run['id']}")
            return current if current["state_type"] in FINAL_STATES else None

        done = wait_for(finished, timeout_s=RUN_TIMEOUT_S, what="the worker to finish the flow run")
    log_tail = (tmp_path / "worker.log").read_text(errors="replace")[-3000:]
    assert done["state_type"] == "COMPLETED", log_tail
    assert done["name"] == f"ingest {source}"
    assert done["work_pool_name"] == pool

    index_state = index_articles(
        settings.articles_topic, settings.indexer_group, settings.index_alias, return_state=True
    )
    assert recorded_run(settings, index_state)["state"]["type"] == "COMPLETED"
    es = Elasticsearch(settings.es_url)
    try:
        assert count(es, settings.index_alias) == len(html_dir)
        hits = es.search(index=settings.index_alias, size=10, source=["url"])["hits"]["hits"]
        assert {hit["_source"]["url"] for hit in hits} == set(html_dir.values())
    finally:
        es.close()
