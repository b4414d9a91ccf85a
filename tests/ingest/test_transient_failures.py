"""Which dead letters the next run must try again (so their source is not answered 304)."""

from __future__ import annotations

import pytest

from ingest.fetch.retry import is_transient
from ingest.run import RunReport


@pytest.mark.parametrize(
    ("stage", "reason"),
    [("fetch", "http_status:503"), ("fetch", "http_status:429"), ("fetch", "timeout"), ("fetch", "bad_body")],
)
def test_site_outages_are_transient(stage: str, reason: str) -> None:
    assert is_transient(stage, reason)


@pytest.mark.parametrize(
    ("stage", "reason"),
    [
        ("fetch", "http_status:404"),
        ("fetch", "too_large"),
        ("extract", "not_article:too_short"),
        ("ssrf", "private_address"),
        ("robots", "disallowed"),
    ],
)
def test_permanent_failures_are_not(stage: str, reason: str) -> None:
    assert not is_transient(stage, reason)


def test_the_report_counts_transient_dead_letters() -> None:
    report = RunReport("s")
    report.dead_lettered.update({("fetch", "http_status:503"): 2, ("fetch", "http_status:404"): 1})
    assert report.transient_failures == 2
