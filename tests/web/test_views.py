"""What the page shows (pure): a facet added to the query builder appears with no page code."""

from __future__ import annotations

import pytest

from indexing import search as search_module
from indexing.search import FacetBucket, SearchResult
from web.state import SearchState
from web.views import active_chips, facets_view, when


def test_a_facet_added_to_facet_fields_is_listed_with_counts_and_links(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(search_module.FACET_FIELDS, "story_ids", "story_id")
    result = SearchResult(total=3, hits=[], facets={"story_ids": [FacetBucket(value="s1", count=3)]})
    state = SearchState.from_params([("story_ids", "s0")])
    facet = next(f for f in facets_view(result, state) if f.name == "story_ids")
    assert facet.label == "Story ids"
    assert [(v.text, v.count, v.selected) for v in facet.values] == [("s0", 0, True), ("s1", 3, False)]
    assert facet.values[1].href == "/?story_ids=s0&story_ids=s1"
    assert [c.text for c in active_chips(state)] == ["Story ids: s0"]


def test_dates_read_as_a_day_with_a_time_only_when_there_is_one() -> None:
    assert when("2024-11-18T00:00:00") == "2024-11-18"
    assert when("2024-11-18T09:30:00+00:00") == "2024-11-18 09:30"
    assert when(None) == "unknown"


def test_an_id_facet_shows_names_and_filters_on_the_stored_id() -> None:
    bucket = FacetBucket(value="Paris", count=2, id="place:4717560")
    result = SearchResult(total=2, hits=[], facets={"place_ids": [bucket]})
    facet = next(f for f in facets_view(result, SearchState.from_params([])) if f.name == "place_ids")
    assert [(v.text, v.count) for v in facet.values] == [("Paris", 2)]
    assert facet.values[0].href == "/?place_ids=place%3A4717560%7CParis"
    chosen = SearchState.from_params([("place_ids", "place:4717560|Paris")])
    assert [c.text for c in active_chips(chosen)] == ["Places (gazetteer): Paris"]
