"""What ``newsflow serve`` registers: one deployment per enabled source, on the source's schedule."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

import httpx
import prefect
import pytest
from prefect.deployments.runner import RunnerDeployment
from typer.testing import CliRunner

from flows.cli import app
from flows.deployments import INDEXER_INTERVAL_S
from ingest.sources.config import load_sources
from schemas.settings import Settings
from tests.flows.conftest import UseSettings, api

pytestmark = pytest.mark.stack


@pytest.fixture()
def sources_file(tmp_path: Path, run_id: str) -> Path:
    """An interval source, a cron source and a disabled one (names unique to the test)."""
    path = tmp_path / "sources.yaml"
    path.write_text(
        f"""
sources:
  - name: t-{run_id}-interval
    type: rss
    location: http://127.0.0.1:8765/globe/rss.xml
    interval_s: 900
    tags: [demo, globe]
  - name: t-{run_id}-cron
    type: sitemap
    location: http://127.0.0.1:8765/sitemap-news.xml
    cron: "*/15 * * * *"
    tags: [nightly]
  - name: t-{run_id}-off
    type: rss
    location: http://127.0.0.1:8765/tagblatt/rss.xml
    interval_s: 600
    enabled: false
""",
        encoding="utf-8",
    )
    return path


@pytest.fixture()
def applied(prefect_server: Settings) -> Iterator[list[str]]:
    """Ids of the deployments a test registers; deleted afterwards so the Prefect UI stays tidy."""
    ids: list[str] = []
    yield ids
    for deployment_id in ids:
        with contextlib.suppress(httpx.HTTPStatusError):
            api(prefect_server, "DELETE", f"/deployments/{deployment_id}")


def served_deployments(monkeypatch: pytest.MonkeyPatch) -> dict[str, RunnerDeployment]:
    """``newsflow serve`` as the CLI runs it, stopped where it would hand its deployments to Prefect."""
    served: list[RunnerDeployment] = []
    monkeypatch.setattr(prefect, "serve", lambda *deployments, **_: served.extend(deployments))
    result = CliRunner().invoke(app, ["serve"])
    assert result.exit_code == 0, result.output
    return {deployment.name: deployment for deployment in served}


def test_each_enabled_source_is_served_on_its_schedule_without_overlapping_itself(
    prefect_server: Settings,
    sources_file: Path,
    applied: list[str],
    use_settings: UseSettings,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    use_settings(prefect_server.model_copy(update={"sources_file": sources_file}))
    interval, cron, disabled = load_sources(sources_file)
    deployments = served_deployments(monkeypatch)
    assert disabled.name not in deployments
    # The indexer and the backfill are shared with every other `newsflow serve` on this server (the
    # demo's): checked here, not registered again, so deleting ours never takes theirs away.
    assert deployments["indexer"].schedules[0].schedule.interval.total_seconds() == INDEXER_INTERVAL_S
    assert deployments["backfill"].schedules == []

    for source in (interval, cron):
        applied.append(str(deployments[source.name].apply()))  # what `prefect.serve` does first

    for source in (interval, cron):
        deployment = api(prefect_server, "GET", f"/deployments/name/ingest-source/{source.name}")
        assert deployment["id"] in applied
        [schedule] = deployment["schedules"]
        assert schedule["active"]
        if source.interval_s is not None:
            assert schedule["schedule"]["interval"] == source.interval_s
        else:
            assert schedule["schedule"]["cron"] == source.cron
        assert deployment["global_concurrency_limit"]["limit"] == 1
        assert set(source.tags) <= set(deployment["tags"])
        assert deployment["parameters"] == {"source_name": source.name}
        assert deployment["entrypoint"] == "flows/ingest_flow.py:ingest_source"
