from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import pytest

import ingest.pool as pool_module
from ingest.core import ArticleBuilder, BuildResult, Rejection
from ingest.page import RawPage
from ingest.pool import BuildPool
from schemas.article import ArticleEvent
from tests.ingest.corpus import GERMAN_ARTICLES, garbage_page, raw_page


def _pages(corpus_dir: Path) -> list:
    articles = [raw_page(corpus_dir, f) for f in GERMAN_ARTICLES]
    garbage = [garbage_page(f"https://example.org/garbage/{i}") for i in range(3)]
    return [articles[0], garbage[0], articles[1], garbage[1], articles[2], garbage[2]]


@pytest.mark.parametrize("workers", [1, 2])
def test_pool_returns_results_in_input_order(corpus_dir: Path, workers: int) -> None:
    pages = _pages(corpus_dir)
    with BuildPool(workers, pages_per_task=1) as pool:
        results = pool.build(pages)
    assert [r.url for r in results] == [p.url for p in pages]
    assert [type(r) for r in results] == [ArticleEvent, Rejection] * 3


def test_pool_streaming_variant_yields_in_input_order(corpus_dir: Path) -> None:
    pages = _pages(corpus_dir)
    with BuildPool(1, pages_per_task=2) as pool:
        assert [r.url for r in pool.build_iter(iter(pages))] == [p.url for p in pages]


@pytest.mark.parametrize("workers", [1, 2])
def test_batches_submitted_back_to_back_each_give_their_own_results_in_order(
    corpus_dir: Path, workers: int
) -> None:
    pages = _pages(corpus_dir)
    with BuildPool(workers, pages_per_task=1) as pool:
        first, second = pool.submit(pages[:4]), pool.submit(pages[4:])  # both queued before either is read
        assert len(first) == 4 and len(second) == 2
        assert [r.url for r in first] == [p.url for p in pages[:4]]
        assert [r.url for r in second] == [p.url for p in pages[4:]]
        cancelled = pool.submit(pages)
        cancelled.cancel()
        assert list(cancelled) == []
        assert [r.url for r in pool.build(pages[:2])] == [p.url for p in pages[:2]]  # still usable


def test_pool_defaults_to_all_cores_and_refuses_work_after_close() -> None:
    pool = BuildPool()
    assert pool.workers >= 1
    pool.close()
    pool.close()
    with pytest.raises(RuntimeError):
        pool.build([garbage_page()])


class _CrashOnPage(ArticleBuilder):
    """Kills its worker process on a page whose URL ends with 'crash' (like a native crash)."""

    def build_batch(self, pages: Sequence[RawPage]) -> list[BuildResult]:
        if any(page.url.endswith("crash") for page in pages):
            os._exit(1)
        return super().build_batch(pages)


def _init_crashing_worker() -> None:
    pool_module._builder = _CrashOnPage()


def test_pool_survives_a_worker_crash_and_rejects_only_that_page(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pool_module, "_init_worker", _init_crashing_worker)
    pages = [garbage_page(f"https://example.org/{i}") for i in range(7)]
    pages[4] = garbage_page("https://example.org/crash")
    with BuildPool(2, pages_per_task=3) as pool:
        results = pool.build(pages)
        assert [r.url for r in results] == [p.url for p in pages]
        assert [r.reason for r in results if isinstance(r, Rejection)].count(
            "extract_error:WorkerCrashed"
        ) == 1
        assert len(pool.build(pages[:2])) == 2


def _alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def test_workers_fork_server_and_tracker_die_with_a_killed_run() -> None:
    repo = Path(__file__).resolve().parents[2]
    child = subprocess.Popen(
        [sys.executable, "-m", "tests.ingest.pool_child"],
        cwd=repo,
        env=os.environ | {"PYTHONPATH": str(repo)},
        stdout=subprocess.PIPE,
        text=True,
    )
    assert child.stdout is not None
    pids = json.loads(child.stdout.readline())  # the models load first: tens of seconds
    helpers = [pids["fork_server"], pids["resource_tracker"], *pids["workers"]]
    assert all(_alive(pid) for pid in helpers)
    child.kill()
    child.wait(timeout=30)
    deadline = time.monotonic() + 60
    while any(_alive(pid) for pid in helpers) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert [pid for pid in helpers if _alive(pid)] == []
