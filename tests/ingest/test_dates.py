from datetime import date, datetime

import pytest

from ingest.dates import mentioned_dates, resolve_span

WEDNESDAY = date(2024, 3, 13)


def value(span: str, published: date | None = WEDNESDAY) -> str | None:
    resolved = resolve_span(span, published)
    return resolved.value if resolved else None


@pytest.mark.parametrize(
    ("span", "expected", "granularity"),
    [
        ("on Tuesday", "2024-03-12", "day"),
        ("last September", "2023-09", "month"),
        ("three weeks ago", "2024-02-21", "day"),
        ("yesterday", "2024-03-12", "day"),
        ("next month", "2024-04", "month"),
        ("March 13, 2024", "2024-03-13", "day"),
        ("13 March 2024", "2024-03-13", "day"),
        ("Nov. 8", "2023-11-08", "day"),
        ("May 2019", "2019-05", "month"),
        ("the summer of 2015", "2015", "year"),
        ("2024-01-05", "2024-01-05", "day"),
        ("last year", "2023", "year"),
        ("two months ago", "2024-01", "month"),
    ],
)
def test_resolves_against_publication_date(span: str, expected: str, granularity: str) -> None:
    resolved = resolve_span(span, WEDNESDAY)
    assert resolved is not None
    assert (resolved.value, resolved.granularity, resolved.text) == (expected, granularity, span)


@pytest.mark.parametrize(
    "span", ["5 Mins Read", "90 days", "two years", "a week earlier", "three days later", "the 1990s", "37"]
)
def test_durations_and_noise_are_not_dates(span: str) -> None:
    assert value(span) is None


def test_direction_makes_a_duration_a_date() -> None:
    assert value("90 days ago") == "2023-12-14"


def test_relative_expressions_need_a_publication_date() -> None:
    assert value("on Tuesday", None) is None
    assert value("last September", None) is None
    assert value("March 2024", None) == "2024-03"


def test_scans_german_and_french_text_for_absolute_dates() -> None:
    text = "Am 13. März 2024 und am 13.03.2024 tagte der Rat, zuletzt im Februar 2024. Hier gestern."
    found = mentioned_dates(text, None, datetime(2024, 3, 14), "de")
    assert [(d.text, d.value) for d in found] == [
        ("13. März 2024", "2024-03-13"),
        ("13.03.2024", "2024-03-13"),
        ("Februar 2024", "2024-02"),
        ("gestern", "2024-03-13"),
    ]
    found = mentioned_dates("Le 1er janvier 2020, puis hier.", None, datetime(2024, 3, 14), "fr")
    assert [d.value for d in found] == ["2020-01-01", "2024-03-13"]


def test_deduplicates_by_value_and_text() -> None:
    found = mentioned_dates("", ["Tuesday", "Tuesday", "on Tuesday"], datetime(2024, 3, 13), "en")
    assert [(d.text, d.value) for d in found] == [("Tuesday", "2024-03-12"), ("on Tuesday", "2024-03-12")]
