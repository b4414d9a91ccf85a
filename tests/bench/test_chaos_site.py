"""The chaos site's news sitemap in parts: one source per ingest worker, together the whole site once."""

from __future__ import annotations

import re

import httpx

from bench.chaos.site import FaultySite, part_sitemap_path
from flows.sim_site import load_pages

PAGES = 7


def _locs(body: str) -> list[str]:
    return re.findall(r"<loc>([^<]+)</loc>", body)


def test_the_parts_of_the_news_sitemap_share_out_its_pages_without_overlap(corpus_dir: object) -> None:
    with FaultySite(load_pages(PAGES)) as site:
        whole = _locs(httpx.get(f"{site.base_url}/sitemap-news.xml").text)
        parts = [_locs(httpx.get(f"{site.base_url}{part_sitemap_path(n, 2)}").text) for n in (1, 2)]
        assert httpx.get(f"{site.base_url}{part_sitemap_path(3, 2)}").status_code == 404
    assert len(whole) == PAGES
    assert sorted(parts[0] + parts[1]) == sorted(whole)
    assert not set(parts[0]) & set(parts[1])
    assert [len(part) for part in parts] == [4, 3]
