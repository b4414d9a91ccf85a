"""Fixtures for ingestion tests: the simulated news site and settings that may fetch from it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from flows.sim_site import SimSite, load_pages
from schemas.settings import Settings

# 30 corpus pages: every outlet represented, a run takes seconds.
SIM_PAGES = 30
# /bad/slow.html answers after this long; the test fetch timeouts are far below it.
SIM_SLOW_S = 8.0


@pytest.fixture()
def sim_site(corpus_dir: Path) -> Iterator[SimSite]:
    with SimSite(load_pages(SIM_PAGES), slow_s=SIM_SLOW_S) as site:
        yield site


def fast_settings(tmp_path: Path, **overrides: object) -> Settings:
    """Settings that allow-list the sim site and keep retries/timeouts short for tests."""
    values: dict[str, object] = {
        "data_dir": tmp_path / "data",
        "fetch_allow_hosts": ["127.0.0.1"],
        "fetch_min_delay_ms": 0,
        "fetch_per_host_concurrency": 8,
        "fetch_read_timeout_s": 1.0,
        "fetch_total_timeout_s": 2.0,
        "fetch_max_retries": 1,
        "fetch_backoff_base_ms": 50,
        "fetch_backoff_max_ms": 200,
        "fetch_max_host_delay_s": 2.0,
    }
    values.update(overrides)
    return Settings(**values)
