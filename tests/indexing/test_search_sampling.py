"""Broad searches on a large index: bounded total, facets on a random sample marked approximate, exact on ask.

The bounds are lowered so a small index behaves like a large one: 600 articles with facets sampled at
~100 documents and totals counted up to 100.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import pytest
from elasticsearch import Elasticsearch, NotFoundError, helpers

from indexing import search as search_module
from indexing import templates
from indexing.documents import to_index_document
from indexing.search import SearchRequest, search
from tests.indexing.factory import make_event

pytestmark = pytest.mark.stack
N = 600
SAMPLED = 100


@pytest.fixture()
def alias(es: Elasticsearch, run_id: str) -> Iterator[str]:
    name = f"articles-sampling-{run_id}"
    index = templates.ensure_index(es, name)
    try:  # cleaned up even when the bulk fails (a busy shared node can time it out)
        docs = [to_index_document(make_event(i, salt="sampling")) for i in range(N)]
        helpers.bulk(
            es.options(request_timeout=120),
            ({"_index": index, "_id": d["id"], "_source": d} for d in docs),
            refresh=True,
        )
        yield name
    finally:
        es.indices.delete(index=index)
        with contextlib.suppress(NotFoundError):
            es.indices.delete_index_template(name=templates.template_name(name))


@pytest.fixture()
def small_bounds(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(search_module, "SAMPLED_DOCS", SAMPLED)
    monkeypatch.setattr(search_module, "MIN_SAMPLED_DOCS", SAMPLED // 4)
    monkeypatch.setattr(search_module, "TOTAL_HITS_BOUND", SAMPLED)


def _counts(result: search_module.SearchResult) -> dict[str, dict[str, int]]:
    return {name: {b.value: b.count for b in buckets} for name, buckets in result.facets.items()}


def test_broad_search_samples_its_facets_and_says_so(
    es: Elasticsearch, alias: str, small_bounds: None
) -> None:
    exact = search(es, alias, SearchRequest(facets=True, size=5, exact=True))
    sampled = search(es, alias, SearchRequest(facets=True, size=5))

    assert exact.facets_sample is None and exact.total_exact and exact.total == N
    assert not exact.approximate
    assert sampled.facets_sample == pytest.approx(SAMPLED / N)
    assert sampled.approximate
    # The hits are the exact path's; the total is the sample's estimate of N, marked as such.
    assert [h.id for h in sampled.hits] == [h.id for h in exact.hits]
    assert not sampled.total_exact and sampled.total_label().startswith("≈ ")
    assert N / 3 < sampled.total < 3 * N
    # Sampled counts are scaled up to the whole: every value is a real one, the counts add up to about N.
    exact_counts, sampled_counts = _counts(exact), _counts(sampled)
    for name, values in sampled_counts.items():
        assert set(values) <= set(exact_counts[name]), name
    assert N / 3 < sum(sampled_counts["languages"].values()) < 3 * N
    # Same seed: the same sample, the same counts on every search.
    assert _counts(search(es, alias, SearchRequest(facets=True, size=5))) == sampled_counts


def test_narrow_search_on_a_big_index_counts_its_facets_exactly(
    es: Elasticsearch, alias: str, small_bounds: None
) -> None:
    request = SearchRequest(facets=True, size=5, source="daily.test", location="Paris")
    result = search(es, alias, request)
    exact = search(es, alias, request.model_copy(update={"exact": True}))

    assert 0 < exact.total < SAMPLED
    assert result.facets_sample is None and result.total_exact and not result.approximate
    assert result.total == exact.total and _counts(result) == _counts(exact)


def test_total_without_facets_stops_at_the_bound_unless_exact(
    es: Elasticsearch, alias: str, small_bounds: None
) -> None:
    bounded = search(es, alias, SearchRequest(size=3))
    exact = search(es, alias, SearchRequest(size=3, exact=True))

    assert (bounded.total, bounded.total_exact, bounded.total_label()) == (SAMPLED, False, f"≥ {SAMPLED}")
    assert (exact.total, exact.total_exact, exact.total_label()) == (N, True, f"{N:,}")
    assert [h.id for h in bounded.hits] == [h.id for h in exact.hits]


def test_small_index_is_never_sampled(es: Elasticsearch, alias: str) -> None:
    result = search(es, alias, SearchRequest(facets=True, size=5))
    assert result.facets_sample is None and result.total == N and result.total_exact


def test_a_selected_facet_value_bounds_the_total_by_its_own_matches(
    es: Elasticsearch, alias: str, small_bounds: None
) -> None:
    request = SearchRequest(facets=True, size=5, terms={"languages": ["de"]})
    exact = search(es, alias, request.model_copy(update={"exact": True}))
    result = search(es, alias, request)

    assert SAMPLED < exact.total < N
    # Counted up to the bound (the facets counted the unselected values too: not this total).
    assert (result.total, result.total_exact, result.total_label()) == (SAMPLED, False, f"≥ {SAMPLED}")
