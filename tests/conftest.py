"""Shared fixtures: the real local stack (Kafka, Elasticsearch, Prefect) for integration tests.

The stack is started once per test session (``newsflow stack up``) and stopped at the end, unless
it was already running before the tests started (then it is left as found).
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import psutil
import pytest

from schemas.settings import Settings, get_settings

CORPUS_DIR = Path(__file__).resolve().parents[2] / "shared" / "corpus"


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    if not (CORPUS_DIR / "pages.json").exists():
        pytest.fail(f"corpus not found at {CORPUS_DIR}: the tests need ../shared/corpus beside the repo")
    return CORPUS_DIR


@pytest.fixture(scope="session")
def stack() -> Iterator[Settings]:
    """The running local stack; started here if it was not running, and then stopped at the end.

    Other test sessions using the same stack register a marker file; the session that started the
    stack leaves it running while another live session still uses it.
    """
    from infra import stack as local_stack

    settings = get_settings()
    sessions = settings.data_dir / "run" / "test-sessions"
    sessions.mkdir(parents=True, exist_ok=True)
    marker = sessions / str(os.getpid())
    marker.touch()
    try:
        started = local_stack.ensure_up(settings)
        yield settings
    finally:
        marker.unlink(missing_ok=True)
    others = [m for m in sessions.iterdir() if psutil.pid_exists(int(m.name))]
    if started and not others:
        local_stack.down(settings)


@pytest.fixture()
def run_id() -> str:
    """A short unique suffix so tests never see each other's topics, indices or groups."""
    return uuid.uuid4().hex[:10]
