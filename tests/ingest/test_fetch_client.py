import asyncio
from pathlib import Path

import pytest

from flows.sim_site import SimSite
from flows.sim_site.server import DISALLOWED_PAGE, FETCH_FATES, SSRF_LOCAL_TARGET
from ingest.fetch.client import Document, Fetcher, NotModified
from ingest.page import RawPage
from schemas.dead_letter import DeadLetter
from tests.ingest.conftest import fast_settings


def fetch_all(settings, urls: list[str]) -> list[RawPage | DeadLetter]:
    async def main() -> list[RawPage | DeadLetter]:
        async with Fetcher(settings) as fetcher:
            return await asyncio.gather(*(fetcher.fetch_page(u, "t") for u in urls))

    return asyncio.run(main())


def outcome(result: RawPage | DeadLetter) -> tuple[str, str]:
    return ("ok", "") if isinstance(result, RawPage) else (result.stage, result.reason)


def test_bad_pages_map_to_stage_and_reason(sim_site: SimSite, tmp_path: Path) -> None:
    base = sim_site.base_url
    paths = {
        **FETCH_FATES,
        "/bad/flaky.html": ("ok", ""),
        "/bad/binary.html": ("ok", ""),  # looks like HTML to HTTP; the core rejects it
    }
    results = fetch_all(fast_settings(tmp_path), [base + p for p in paths])
    assert {p: outcome(r) for p, r in zip(paths, results, strict=True)} == paths
    assert sim_site.requested(DISALLOWED_PAGE) == 0
    assert sim_site.requested(SSRF_LOCAL_TARGET) == 0
    assert sim_site.requested("/bad/not-found.html") == 1  # 4xx: no retry
    assert sim_site.requested("/bad/error-500.html") == 2  # 5xx: retried once (max_retries=1)
    assert sim_site.requested("/robots.txt") == 1  # cached


def test_loopback_refused_without_allow_list(sim_site: SimSite, tmp_path: Path) -> None:
    [result] = fetch_all(
        fast_settings(tmp_path, fetch_allow_hosts=[]), [sim_site.base_url + "/globe/rss.xml"]
    )
    assert outcome(result) == ("ssrf", "private_address")
    assert sim_site.requests == []


def test_conditional_get_answers_304_until_the_feed_changes(sim_site: SimSite, tmp_path: Path) -> None:
    url = sim_site.base_url + "/tagblatt/rss.xml"

    async def get(validators=None):
        async with Fetcher(fast_settings(tmp_path)) as fetcher:
            return await fetcher.fetch_document(url, "t", validators)

    first = asyncio.run(get())
    assert isinstance(first, Document) and first.validators.etag
    assert isinstance(asyncio.run(get(first.validators)), NotModified)
    sim_site.change(sim_site.outlet_pages("tagblatt")[0].path)
    assert isinstance(asyncio.run(get(first.validators)), Document)


def test_address_checked_again_when_connecting(
    sim_site: SimSite, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """DNS rebinding: the pre-check saw a public address, the connection would go to loopback. The
    resolver refuses at connect time (robots.txt is the first request, so the page is refused as
    "robots unavailable"); without it, both requests would reach the site."""

    async def saw_a_public_address(url: str, allow: object) -> None:
        return None

    monkeypatch.setattr("ingest.fetch.client.check_url", saw_a_public_address)
    url = f"http://localhost:{sim_site.port}/globe/rss.xml"
    [result] = fetch_all(fast_settings(tmp_path, fetch_allow_hosts=[]), [url])
    assert outcome(result) == ("robots", "robots_unavailable")
    assert sim_site.requests == []
