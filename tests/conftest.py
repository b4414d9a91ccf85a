"""Shared fixtures: the real local stack (Kafka, Elasticsearch, Prefect) for integration tests.

The stack is started once per test session (``newsflow stack up``) and stopped at the end, unless
it was already running before the tests started (then it is left as found).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

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
    """The running local stack; started here if it was not running, and then stopped at the end."""
    from infra import stack as local_stack

    settings = get_settings()
    started = local_stack.ensure_up(settings)
    yield settings
    if started:
        local_stack.down(settings)


@pytest.fixture()
def run_id() -> str:
    """A short unique suffix so tests never see each other's topics, indices or groups."""
    return uuid.uuid4().hex[:10]
