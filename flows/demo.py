"""The demo: the whole pipeline on the local stack over the simulated news site, left running.

stack up -> simulated site on 127.0.0.1 -> ``newsflow serve`` (deployments) -> one run of each
demo source's deployment -> the indexer deployment until caught up -> a faceted search.
Re-running it is quick: feeds answer 304 and the seen-store knows every article.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import httpx
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from flows.prefect_http import prefect_request
from infra import stack as local_stack
from infra.processes import ManagedProcess, wait_until
from schemas.settings import Settings

SIM_SITE_PORT = 8765
# Newsbench articles the demo site also publishes as syndicated copies and rewrites under other outlets
# (flows/sim_site/syndicate.py): 12 groups of 5 pages show collapsed copies and multi-source stories.
SIM_SYNDICATED_GROUPS = 12
# The simulated site is one host on 127.0.0.1: the default politeness (2 requests at a time,
# 500 ms apart) would make the demo crawl at 2 pages/s. The demo is its own site's operator.
DEMO_ENV = {
    "NEWSFLOW_FETCH_ALLOW_HOSTS": '["127.0.0.1"]',
    "NEWSFLOW_FETCH_MIN_DELAY_MS": "0",
    "NEWSFLOW_FETCH_PER_HOST_CONCURRENCY": "16",
}
# Bounds for the demo's waits: ingesting the whole corpus (884 pages) takes ~1-2 min on 2 cores.
SITE_START_TIMEOUT_S = 60.0
DEPLOYMENTS_TIMEOUT_S = 120.0
RUN_TIMEOUT_S = 1_800.0
TERMINAL = {"COMPLETED", "FAILED", "CRASHED", "CANCELLED"}


def sim_site_process(settings: Settings) -> ManagedProcess:
    return ManagedProcess(
        "sim-site", settings.data_dir / "run", settings.data_dir / "logs" / "sim-site.out", "flows.sim_site"
    )


def serve_process(settings: Settings) -> ManagedProcess:
    return ManagedProcess(
        "serve", settings.data_dir / "run", settings.data_dir / "logs" / "serve.out", "newsflow serve"
    )


def web_process(settings: Settings) -> ManagedProcess:
    return ManagedProcess(
        "web", settings.data_dir / "run", settings.data_dir / "logs" / "web.out", "newsflow web"
    )


def start_web(settings: Settings, console: Console) -> str:
    """The search page (``newsflow web``) on its default address; returns its URL."""
    url = f"http://{settings.web_host}:{settings.web_port}"
    proc = web_process(settings)
    if proc.running_pid() is None:
        newsflow = Path(sys.executable).with_name("newsflow")
        proc.start([str(newsflow), "web"], cwd=Path(__file__).resolve().parent.parent)
    if not wait_until(lambda: local_stack.http_ok(f"{url}/healthz"), SITE_START_TIMEOUT_S, while_alive=proc):
        raise local_stack.StackError(f"search page did not start:\n{proc.tail()}")
    console.print(f"search page: {url}/ (log {proc.log_file})")
    return url


def start_sim_site(settings: Settings, console: Console) -> str:
    """The simulated news site (the corpus as a few outlets with feeds and sitemaps)."""
    base = f"http://127.0.0.1:{SIM_SITE_PORT}"
    proc = sim_site_process(settings)
    if proc.running_pid() is None:
        proc.start(
            [
                *(sys.executable, "-m", "flows.sim_site", "--port", str(SIM_SITE_PORT)),
                *("--syndicate", str(SIM_SYNDICATED_GROUPS)),
            ],
            cwd=Path(__file__).resolve().parent.parent,
        )

    if not wait_until(
        lambda: local_stack.http_ok(f"{base}/robots.txt"), SITE_START_TIMEOUT_S, while_alive=proc
    ):
        raise local_stack.StackError(f"simulated site did not start:\n{proc.tail()}")
    console.print(f"simulated news site: {base} (log {proc.log_file})")
    return base


def start_serve(settings: Settings, console: Console) -> None:
    """``newsflow serve`` in the background, with the demo's fetch settings."""
    proc = serve_process(settings)
    if proc.running_pid() is None:
        newsflow = Path(sys.executable).with_name("newsflow")
        proc.start(
            [str(newsflow), "serve"],
            env={**DEMO_ENV, "PREFECT_API_URL": settings.api_url},
            cwd=Path(__file__).resolve().parent.parent,
        )
    console.print(f"newsflow serve: deployments served (log {proc.log_file})")


def _api(settings: Settings, method: str, path: str, **kwargs: object) -> httpx.Response:
    return prefect_request(method, f"{settings.api_url}{path}", timeout=30, **kwargs)


def deployment_id(settings: Settings, full_name: str) -> str | None:
    flow_name, name = full_name.split("/", 1)
    try:
        return _api(settings, "GET", f"/deployments/name/{flow_name}/{name}").json()["id"]
    except httpx.HTTPStatusError:
        return None


def run_and_wait(settings: Settings, full_name: str, progress: Progress) -> dict[str, object]:
    """Create a run of a served deployment, follow it to its end; returns the final flow run."""
    dep_id = wait_until(lambda: deployment_id(settings, full_name), DEPLOYMENTS_TIMEOUT_S)
    if dep_id is None:
        raise RuntimeError(
            f"deployment {full_name} not registered; see `newsflow stack logs` and "
            f"{serve_process(settings).log_file}"
        )
    run = _api(settings, "POST", f"/deployments/{dep_id}/create_flow_run", json={}).json()
    task = progress.add_task(full_name, total=None, state="SCHEDULED")
    deadline = time.monotonic() + RUN_TIMEOUT_S
    while time.monotonic() < deadline:
        run = _api(settings, "GET", f"/flow_runs/{run['id']}").json()
        state = run["state"]["type"]
        progress.update(task, state=state)
        if state in TERMINAL:
            progress.update(task, total=1, completed=1)
            return run
        time.sleep(1.0)
    raise TimeoutError(f"{full_name} did not finish within {RUN_TIMEOUT_S:.0f} s")


def run_demo(settings: Settings, console: Console) -> bool:
    """The README's first command, after setup. Returns True when every run completed."""
    from elasticsearch import Elasticsearch

    from flows.cli_search import print_result
    from flows.cli_stories import print_stories
    from flows.deployments import INDEXER_DEPLOYMENT, STORIES_DEPLOYMENT, deployment_name
    from indexing.search import SearchRequest, search
    from indexing.stories.listing import list_stories
    from ingest.sources.config import load_sources

    console.rule("1. local stack")
    local_stack.up(settings, log=console.print)
    console.rule("2. simulated news site and deployments")
    start_sim_site(settings, console)
    start_serve(settings, console)
    web_url = start_web(settings, console)
    sources = [s for s in load_sources(settings.sources_file) if s.enabled]
    console.rule(f"3. one run of each demo source ({len(sources)}), then the indexer and the stories")
    runs = []
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.fields[state]}"),
        TimeElapsedColumn(),
        console=console,
    ) as progress:
        for name in [*(deployment_name(s) for s in sources), INDEXER_DEPLOYMENT, STORIES_DEPLOYMENT]:
            runs.append((name, run_and_wait(settings, name, progress)))
    for name, run in runs:
        state = run["state"]
        colour = "green" if state["type"] == "COMPLETED" else "red"
        console.print(
            f"[{colour}]{name}: {state['type']}[/{colour}] {state.get('message') or ''}  "
            f"{settings.prefect_url}/runs/flow-run/{run['id']}"
        )
    console.rule("4. search: everything, with facets")
    result = search(
        Elasticsearch(settings.es_url),
        settings.index_alias,
        SearchRequest(query="", size=5, sort="date", facets=True),
    )
    print_result(result)
    console.rule("5. stories covered by more than one article (copies collapsed in search)")
    print_stories(
        list_stories(Elasticsearch(settings.es_url), settings.stories_index, size=5, min_articles=2)
    )
    console.rule("the stack keeps running")
    console.print(f"Search page:    {web_url}/  (facets, attention over time, articles, export)")
    console.print(f"Prefect UI:     {settings.prefect_url}  (flow runs, artifacts with each run's counts)")
    console.print(f"Elasticsearch:  {settings.es_url}/{settings.index_alias}/_search")
    console.print(
        f"Kafka:          {settings.kafka_bootstrap} (topics {settings.articles_topic}, "
        f"{settings.articles_dlq_topic})"
    )
    console.print('Try:            .venv/bin/newsflow search "election" --facets')
    console.print("                .venv/bin/newsflow stories --since 24h")
    console.print("Stop it all:    .venv/bin/newsflow stack down")
    return all(run["state"]["type"] == "COMPLETED" for _, run in runs)
