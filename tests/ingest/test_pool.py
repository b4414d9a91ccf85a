from __future__ import annotations

from pathlib import Path

import pytest

from ingest.core import Rejection
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
    with BuildPool(workers, chunk_pages=1) as pool:
        results = pool.build(pages)
    assert [r.url for r in results] == [p.url for p in pages]
    assert [type(r) for r in results] == [ArticleEvent, Rejection] * 3


def test_pool_streaming_variant_yields_in_input_order(corpus_dir: Path) -> None:
    pages = _pages(corpus_dir)
    with BuildPool(1, chunk_pages=2) as pool:
        assert [r.url for r in pool.build_iter(iter(pages))] == [p.url for p in pages]


def test_pool_defaults_to_all_cores_and_refuses_work_after_close() -> None:
    pool = BuildPool()
    assert pool.workers >= 1
    pool.close()
    pool.close()
    with pytest.raises(RuntimeError):
        pool.build([garbage_page()])
