"""The URL state of the search page (pure): round trip, links with one change, bad parameters."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlsplit

from web.state import MAX_VALUES_PER_FACET, SearchState, bucket_range


def read(url: str) -> SearchState:
    return SearchState.from_params(parse_qsl(urlsplit(url).query))


def test_state_round_trips_through_its_url() -> None:
    state = SearchState(
        q='"central bank" -mortgage',
        sort="date",
        terms={"persons": ("Angela Merkel", "Olaf Scholz"), "sources": ("a.test",)},
        since="2024-01-01",
        until="2024-03-31",
        after=[1.5, 1704067200000, "ab" * 16],
        page=3,
        compare="inflation",
    )
    assert read(state.url()) == state


def test_a_new_filter_goes_back_to_the_first_page_and_removal_keeps_the_others() -> None:
    state = SearchState(q="x", terms={"persons": ("A",)}, after=[1, 2, "c"], page=4)
    added = state.with_term("persons", "B")
    assert added.terms == {"persons": ("A", "B")} and added.after is None and added.page == 1
    assert added.without_term("persons", "A").terms == {"persons": ("B",)}
    assert added.without_term("persons", "A").without_term("persons", "B").terms == {}
    assert state.next_page(["n"]).page == 5


def test_bad_parameters_are_dropped_with_a_note() -> None:
    state = SearchState.from_params(
        [
            ("since", "2024-02-30"),
            ("until", "tomorrow"),
            ("after", '[{"a": 1}]'),
            ("page", "-3"),
            ("nope", "1"),
        ]
        + [("persons", f"p{i}") for i in range(MAX_VALUES_PER_FACET + 5)]
    )
    assert state.since is None and state.until is None and state.after is None and state.page == 1
    assert len(state.terms["persons"]) == MAX_VALUES_PER_FACET
    assert len(state.problems) == 4


def test_histogram_interval_follows_the_date_range() -> None:
    assert SearchState().histogram_interval() == "month"
    assert SearchState(since="2024-01-01", until="2024-01-31").histogram_interval() == "day"
    assert SearchState(since="2024-01-01", until="2024-12-31").histogram_interval() == "week"
    assert SearchState(since="2020-01-01", until="2024-12-31").histogram_interval() == "month"


def test_bucket_range_covers_the_whole_bucket() -> None:
    assert bucket_range("2024-02-01", "month") == ("2024-02-01", "2024-02-29")
    assert bucket_range("2024-12-01", "month") == ("2024-12-01", "2024-12-31")
    assert bucket_range("2024-01-01", "week") == ("2024-01-01", "2024-01-07")
    assert bucket_range("2024-01-01", "day") == ("2024-01-01", "2024-01-01")


def test_request_goes_through_the_search_builder_fields() -> None:
    request = SearchState(q="x", terms={"languages": ("de",)}, after=[1, "a"]).request(20, facets=True)
    assert request.terms == {"languages": ["de"]} and request.search_after == [1, "a"] and request.size == 20
