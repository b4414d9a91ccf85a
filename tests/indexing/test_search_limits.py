"""The limits a search request checks before Elasticsearch sees it: query length and date values."""

from __future__ import annotations

import pytest
from elasticsearch import Elasticsearch
from pydantic import ValidationError

from indexing import templates
from indexing.search import MAX_QUERY_WORDS, SearchRequest, is_search_date, search
from schemas.settings import Settings


@pytest.mark.parametrize(
    "value",
    [
        "2024-05-01",
        "2024",
        "2024-05",
        "2024-05-01T08:00:00Z",
        "2024-05-01T08:00:00+02:00",
        "now",
        "now-7d",
        "now-1M/d",
        "2024-05-01||+1M",
        "now+2h-30m",
    ],
)
def test_dates_elasticsearch_understands_are_accepted(value: str) -> None:
    assert is_search_date(value)


@pytest.mark.parametrize("value", ["yesterday", "05/01/2024", "now-7days", "2024-13-01", "", "now||-1d"])
def test_other_dates_are_refused_with_the_value_in_the_message(value: str) -> None:
    assert not is_search_date(value)
    with pytest.raises(ValidationError, match=repr(value).replace("|", r"\|")):
        SearchRequest(since=value)


def test_a_query_over_the_word_cap_is_refused() -> None:
    SearchRequest(query=" ".join(["bank"] * MAX_QUERY_WORDS))
    with pytest.raises(ValidationError, match=f"{MAX_QUERY_WORDS + 1} words"):
        SearchRequest(query=" ".join(["bank"] * (MAX_QUERY_WORDS + 1)))


@pytest.mark.stack
def test_the_longest_query_allowed_stays_under_the_clause_limit_of_elasticsearch(
    isettings: Settings, es: Elasticsearch
) -> None:
    templates.ensure_index(es, isettings.index_alias)
    query = " ".join(f"word{i}" for i in range(MAX_QUERY_WORDS))
    result = search(es, isettings.index_alias, SearchRequest(query=query, facets=True))
    assert result.total == 0
