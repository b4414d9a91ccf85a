"""Screenshots of the search page for docs/img/, from real news articles, in headless Chromium.

``.venv/bin/python -m bench.web_screenshots [--pages 150]`` after ``newsflow stack up``: builds articles
from newsbench pages with the functional core (extraction + enrichment, as ingestion does), indexes them into
a throwaway alias, serves the page and saves: web-search.png, web-filtered-compare.png, web-article.png,
web-phone.png and web-es-down.png. The alias is deleted at the end.
"""

from __future__ import annotations

import argparse
import gzip
import json
import shutil
import socket
import subprocess
import sys
import uuid
from datetime import UTC, datetime
from pathlib import Path

from elasticsearch import Elasticsearch, helpers

from bench.names import BenchNames, cleanup
from bench.web import serving
from indexing import templates
from indexing.documents import to_index_document
from indexing.search import SearchRequest, search
from ingest.core import ArticleBuilder
from ingest.page import RawPage
from schemas.article import ArticleEvent
from schemas.settings import Settings, get_settings

REPO = Path(__file__).resolve().parent.parent
# newsbench: real news pages from 177 publishers with titles, dates and bylines (the corpus is broader web).
NEWSBENCH = REPO.parent / "shared" / "newsbench"
OUT = REPO / "docs" / "img"
DESKTOP = {"width": 1280, "height": 1000}
PHONE = {"width": 390, "height": 844}
# The query shown is the candidate with the most matches in the articles indexed, the comparison the next.
CANDIDATE_QUERIES = [
    "government",
    "police",
    "election",
    "president",
    "Regierung",
    "Polizei",
    "war",
    "climate",
]


def corpus_events(pages: int) -> list[ArticleEvent]:
    lines = (NEWSBENCH / "pages.jsonl").read_text("utf-8").splitlines()[:pages]
    listing = [json.loads(line) for line in lines]
    now = datetime.now(UTC)
    raw = [
        RawPage(
            url=p["url"],
            body=gzip.decompress((NEWSBENCH / p["file"]).read_bytes()),
            fetched_at=now,
            source_name=p["publisher"],
        )
        for p in listing
    ]
    return [r for r in ArticleBuilder().build_batch(raw) if isinstance(r, ArticleEvent)]


def index(settings: Settings, events: list[ArticleEvent]) -> None:
    es = Elasticsearch(settings.es_url, request_timeout=120)
    templates.ensure_index(es, settings.index_alias)
    actions = ({"_index": settings.index_alias, "_id": e.id, "_source": to_index_document(e)} for e in events)
    helpers.bulk(es, actions, refresh="wait_for")


def busiest_queries(settings: Settings) -> tuple[str, str]:
    es = Elasticsearch(settings.es_url, request_timeout=120)
    totals = {
        q: search(es, settings.index_alias, SearchRequest(query=q, size=0)).total for q in CANDIDATE_QUERIES
    }
    first, second = sorted(totals, key=totals.__getitem__, reverse=True)[:2]
    return first, second


def shoot(settings: Settings, chromium: str, query: str, compare: str) -> list[Path]:
    from playwright.sync_api import sync_playwright

    saved = []
    with sync_playwright() as playwright, serving(settings) as url:
        browser = playwright.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        page = browser.new_page(viewport=DESKTOP)
        page.goto(f"{url}/?q={query}")
        saved.append(_save(page, "web-search.png"))
        page.locator("#facet-locations .facet-value").first.click()
        page.wait_for_url("**locations=**")
        page.goto(page.url + f"&cq={compare}")
        saved.append(_save(page, "web-filtered-compare.png"))
        page.goto(f"{url}/?q={query}")
        page.locator("li.hit h3 a").first.click()
        page.wait_for_url("**/article/**")
        saved.append(_save(page, "web-article.png"))
        phone = browser.new_page(viewport=PHONE, is_mobile=True)
        phone.goto(f"{url}/?q={query}")
        saved.append(_save(phone, "web-phone.png"))
        browser.close()
    return saved


def shoot_es_down(settings: Settings, chromium: str, query: str) -> Path:
    from playwright.sync_api import sync_playwright

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        closed = sock.getsockname()[1]
    down = settings.model_copy(update={"es_url": f"http://127.0.0.1:{closed}"})
    with sync_playwright() as playwright, serving(down) as url:
        browser = playwright.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1000, "height": 560})
        page.goto(f"{url}/?q={query}")
        path = _save(page, "web-es-down.png")
        browser.close()
    return path


def _save(page: object, name: str) -> Path:
    path = OUT / name
    page.screenshot(path=str(path))  # type: ignore[attr-defined]
    return path


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pages", type=int, default=252)
    args = parser.parse_args()
    if shutil.which("chromium") is None:
        subprocess.run(["bash", str(REPO / "infra" / "install-chromium.sh")], check=True)
    chromium = shutil.which("chromium") or "chromium"
    settings = BenchNames(uuid.uuid4().hex[:8], "webshots").settings(get_settings())
    OUT.mkdir(parents=True, exist_ok=True)
    try:
        events = corpus_events(args.pages)
        index(settings, events)
        query, compare = busiest_queries(settings)
        saved = [*shoot(settings, chromium, query, compare), shoot_es_down(settings, chromium, query)]
    finally:
        cleanup(settings, Elasticsearch(settings.es_url, request_timeout=120))
    print(
        f"{len(events)} newsbench articles indexed; saved:",
        *(str(p.relative_to(REPO)) for p in saved),
        sep="\n  ",
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
