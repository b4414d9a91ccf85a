"""The attention chart (pure): gaps filled, two series side by side, each bar a link to its dates."""

from __future__ import annotations

from indexing.search import FacetBucket
from web.histogram import chart


def test_gaps_are_filled_and_bars_link_to_their_dates() -> None:
    series = [[FacetBucket(value="2024-01-01", count=4), FacetBucket(value="2024-03-01", count=2)]]
    drawn = chart(series, "month", lambda since, until: f"/?since={since}&until={until}")
    assert drawn is not None
    assert [b.count for b in drawn.bars] == [4, 0, 2]
    assert drawn.bars[1].href == "/?since=2024-02-01&until=2024-02-29"
    assert drawn.bars[0].height > drawn.bars[2].height > 0 == drawn.bars[1].height


def test_two_series_share_the_axis() -> None:
    query = [FacetBucket(value="2024-01-01", count=1)]
    compare = [FacetBucket(value="2024-01-08", count=3)]
    drawn = chart([query, compare], "week", lambda a, b: "/")
    assert drawn is not None
    assert [(b.series, b.start, b.count) for b in drawn.bars] == [
        (0, "2024-01-01", 1),
        (1, "2024-01-01", 0),
        (0, "2024-01-08", 0),
        (1, "2024-01-08", 3),
    ]


def test_no_dates_no_chart() -> None:
    assert chart([[]], "month", lambda a, b: "/") is None
