"""Attention over time: date-histogram buckets -> bars of an inline SVG drawn by the server (pure).

One or two series (the query, and the comparison query) on one time axis. Missing buckets are filled
with zeros so the axis is honest about gaps. Each bar is a link that narrows the search to its dates,
so the chart works without JavaScript and with the keyboard (SVG links take focus).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from indexing.search import FacetBucket
from web.state import bucket_range

WIDTH = 800
HEIGHT = 160
# 400 bars: ~2 px each at the chart's width, the finest a reader can still click; a longer axis is cut
# at its most recent end (the narrower date range then shows the rest).
MAX_BARS = 400
LABELS = 6
# A bar group is at most 48 units wide, centred in its slot: two or three buckets drawn across the whole
# chart would read as blocks, not bars.
MAX_GROUP_WIDTH = 48


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    series: int  # 0: the query, 1: the comparison
    start: str
    end: str
    count: int
    href: str


@dataclass(frozen=True)
class Chart:
    bars: list[Bar]
    labels: list[str]  # evenly spaced dates from the first bucket to the last, shown under the chart
    max_count: int
    width: int = WIDTH
    height: int = HEIGHT
    axis_y: int = HEIGHT


def _next(day: date, interval: str) -> date:
    if interval == "day":
        return day + timedelta(days=1)
    if interval == "week":
        return day + timedelta(days=7)
    return date(day.year + day.month // 12, day.month % 12 + 1, 1)


def _axis(series: Sequence[Sequence[FacetBucket]], interval: str) -> list[str]:
    """Every bucket start between the first and the last bucket of any series."""
    keys = sorted({b.value for buckets in series for b in buckets})
    if not keys:
        return []
    day, last, axis = date.fromisoformat(keys[0]), date.fromisoformat(keys[-1]), []
    while day <= last:
        axis.append(day.isoformat())
        day = _next(day, interval)
    return axis[-MAX_BARS:]


def chart(
    series: Sequence[Sequence[FacetBucket]], interval: str, href: Callable[[str, str], str]
) -> Chart | None:
    """The bars of each series side by side per bucket; ``href(since, until)`` makes each bar's link."""
    axis = _axis(series, interval)
    if not axis:
        return None
    counts = [{b.value: b.count for b in buckets} for buckets in series]
    top = max(max(c.values(), default=0) for c in counts) or 1
    slot = WIDTH / len(axis)
    group = min(slot * 0.9 if slot > 3 else slot, MAX_GROUP_WIDTH)
    bar_width = group / len(series)
    plot_height = HEIGHT - 4
    bars = []
    for i, start in enumerate(axis):
        first, last = bucket_range(start, interval)
        left = i * slot + (slot - group) / 2
        for s, by_start in enumerate(counts):
            count = by_start.get(start, 0)
            height = plot_height * count / top
            bars.append(
                Bar(
                    x=round(left + s * bar_width, 2),
                    y=round(HEIGHT - height, 2),
                    width=round(max(bar_width, 0.5), 2),
                    height=round(height, 2),
                    series=s,
                    start=first,
                    end=last,
                    count=count,
                    href=href(first, last),
                )
            )
    shown = min(LABELS, len(axis))
    picks = sorted({round(k * (len(axis) - 1) / max(shown - 1, 1)) for k in range(shown)})
    labels = [axis[i][: 7 if interval == "month" else 10] for i in picks]
    return Chart(bars=bars, labels=labels, max_count=top)
