"""The search page in a real headless Chromium (Debian's, driven by Playwright) against the real
Elasticsearch: search, facets, URL state and history, pagination, chart, article page, export, errors,
hostile articles, no-JavaScript use, keyboard and phone width."""

from __future__ import annotations

import csv
import io
import re
import socket
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from elasticsearch import Elasticsearch

from indexing.search import SearchRequest, search
from schemas.settings import Settings
from tests.indexing.factory import article_id
from tests.web.conftest import serving
from tests.web.fixtures import FLOW_RUN_ID, HOSTILE_MARKER, HOSTILE_PERSON, HOSTILE_TITLE, hostile_id

pytestmark = pytest.mark.stack


def expected_total(settings: Settings, **request: Any) -> int:
    return search(
        Elasticsearch(settings.es_url), settings.index_alias, SearchRequest(size=0, **request)
    ).total


def shown_total(page: Any) -> int:
    return int(page.locator("#total").inner_text().replace(",", ""))


def params(page: Any) -> dict[str, list[str]]:
    return parse_qs(urlsplit(page.url).query)


def hit_ids(page: Any) -> list[str]:
    return [
        href.rsplit("/", 1)[-1]
        for href in page.locator("li.hit h3 a").evaluate_all("l => l.map(a => a.href)")
    ]


def test_search_shows_total_highlighted_hits_and_facets(
    page: Any, base_url: str, web_settings: Settings
) -> None:
    page.goto(f"{base_url}/")
    page.fill("#q", "election")
    page.press("#q", "Enter")
    page.wait_for_url(re.compile(r"q=election"))
    assert shown_total(page) == expected_total(web_settings, query="election") > 0
    assert page.locator("li.hit").count() == min(shown_total(page), web_settings.web_page_size)
    assert page.locator("li.hit mark").first.inner_text().lower() == "election"
    for facet in ("persons", "organisations", "locations", "sources", "languages"):
        assert page.locator(f"#facet-{facet} .facet-value").count() > 0, facet
    assert page.locator(".chart svg a.bar").count() > 0


def test_facet_click_chip_removal_and_back_button(page: Any, base_url: str, web_settings: Settings) -> None:
    page.goto(f"{base_url}/?q=election")
    everything = shown_total(page)
    link = page.locator("#facet-persons .facet-value").first
    person = link.locator(".value").inner_text()
    link.click()
    page.wait_for_url(re.compile(r"persons="))
    assert params(page)["persons"] == [person]
    narrowed = shown_total(page)
    assert (
        narrowed == expected_total(web_settings, query="election", terms={"persons": [person]}) < everything
    )
    assert page.locator("#active-filters .chip-persons").inner_text().startswith(f"People: {person}")
    page.locator("#active-filters .chip-persons").click()
    page.wait_for_url(lambda url: "persons=" not in url)
    assert shown_total(page) == everything
    page.go_back()
    page.wait_for_url(re.compile(r"persons="))
    assert shown_total(page) == narrowed
    page.go_forward()
    page.wait_for_url(lambda url: "persons=" not in url)
    assert shown_total(page) == everything


def test_two_values_of_one_facet_are_either_or(page: Any, base_url: str, web_settings: Settings) -> None:
    page.goto(f"{base_url}/")
    first, second = (page.locator("#facet-sources .value").nth(i).inner_text() for i in range(2))
    page.locator("#facet-sources .facet-value", has_text=first).click()
    page.wait_for_url(re.compile("sources="))
    page.locator("#facet-sources .facet-value", has_text=second).click()
    page.wait_for_url(lambda url: len(params_of(url).get("sources", [])) == 2)
    alone = [expected_total(web_settings, terms={"sources": [s]}) for s in (first, second)]
    assert shown_total(page) == sum(alone)
    assert page.locator("#facet-sources .facet-value.selected").count() == 2


def params_of(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query)


def test_next_page_continues_without_repeating(page: Any, base_url: str, web_settings: Settings) -> None:
    page.goto(f"{base_url}/?sort=date")
    first = hit_ids(page)
    page.click("#next-page")
    page.wait_for_url(re.compile(r"after="))
    second = hit_ids(page)
    assert len(first) == web_settings.web_page_size and second and not set(first) & set(second)
    assert "Page 2" in page.locator("nav.pages").inner_text()


def test_chart_bar_click_narrows_the_dates(page: Any, base_url: str, web_settings: Settings) -> None:
    page.goto(f"{base_url}/")
    bar = page.locator(".chart a.bar").first
    label = bar.get_attribute("aria-label")
    bar.click()
    page.wait_for_url(re.compile(r"since=.*until="))
    since, until = params(page)["since"][0], params(page)["until"][0]
    assert label.startswith(f"{since} to {until}")
    assert shown_total(page) == expected_total(web_settings, since=since, until=until) > 0
    assert "Dates:" in page.locator("#active-filters").inner_text()


def test_compare_shows_the_second_query_total(page: Any, base_url: str, web_settings: Settings) -> None:
    page.goto(f"{base_url}/?q=election&cq=budget")
    assert int(page.locator("#compare-total").inner_text().replace(",", "")) == expected_total(
        web_settings, query="budget"
    )
    assert page.locator(".chart a.bar.series-1").count() > 0


def test_article_page_has_text_entities_dates_and_flow_run_link(page: Any, base_url: str) -> None:
    page.goto(f"{base_url}/?q=minister&sort=date")
    page.locator("li.hit h3 a").first.click()
    page.wait_for_url(re.compile(r"/article/[0-9a-f]{32}$"))
    assert page.locator(".text p").count() >= 2
    assert page.locator(".text mark.ent-persons").count() > 0
    assert page.locator("dd.dates time").count() > 0
    assert page.locator("#source-link").evaluate("e => e.tagName") == "A"
    runs = page.locator("#flow-run")
    if runs.count():
        assert runs.get_attribute("href").endswith(f"/runs/flow-run/{FLOW_RUN_ID}")


def test_article_with_a_flow_run_links_to_it(
    page: Any, base_url: str, web_settings: Settings, salt: str
) -> None:
    page.goto(f"{base_url}/article/{article_id(0, salt)}")
    assert (
        page.locator("#flow-run").get_attribute("href")
        == f"{web_settings.prefect_url}/runs/flow-run/{FLOW_RUN_ID}"
    )


def test_duplicates_link_to_each_other(page: Any, base_url: str) -> None:
    page.goto(f"{base_url}/?q=%22budget+vote%22")
    page.locator("li.hit h3 a", has_text="Budget vote copy 0").click()
    page.locator(".related a", has_text="Budget vote copy 1").click()
    assert page.locator("h1").inner_text() == "Budget vote copy 1"


def test_export_downloads_the_result_set_capped(page: Any, base_url: str, web_settings: Settings) -> None:
    page.goto(f"{base_url}/?q=election")
    with page.expect_download() as download:
        page.click("a.export:text('CSV')")
    rows = list(csv.DictReader(io.StringIO(Path(download.value.path()).read_text(encoding="utf-8"))))
    total = expected_total(web_settings, query="election")
    assert len(rows) == min(total, web_settings.web_export_max_rows)
    assert len({row["id"] for row in rows}) == len(rows)
    assert "rows exported" in page.locator("#export-status").inner_text()
    jsonl = page.request.get(f"{base_url}/export.jsonl?q=election&sort=date").text().splitlines()
    assert len(jsonl) == len(rows)


def test_elasticsearch_down_gives_a_503_page_with_what_to_do(page: Any, web_settings: Settings) -> None:
    with socket.socket() as sock:  # a port nothing listens on once closed
        sock.bind(("127.0.0.1", 0))
        closed = sock.getsockname()[1]
    down = web_settings.model_copy(update={"es_url": f"http://127.0.0.1:{closed}"})
    with serving(down) as url:
        response = page.goto(f"{url}/?q=election")
        assert response.status == 503
        body = page.locator("main").inner_text()
        assert "newsflow stack up" in body and "Traceback" not in page.content()
        assert page.goto(f"{url}/export.csv").status == 503


def test_hostile_article_renders_inert(page: Any, base_url: str, salt: str) -> None:
    page.goto(f"{base_url}/?q={HOSTILE_MARKER}")
    title = page.locator("li.hit h3 a").first.inner_text()
    assert "<script>" in title and "onerror" in title  # shown as text
    assert 'evil.test"><script>' in page.locator("#facet-sources").inner_text()  # hostile facet value
    assert page.locator("script:not([src]), [onerror], [onload], [onmouseover]").count() == 0
    page.locator("#facet-persons .facet-value", has_text="Evil Person").click()
    assert page.evaluate("window.__xss") is None
    page.goto(f"{base_url}/?q=&persons={HOSTILE_PERSON}")
    assert HOSTILE_PERSON in page.locator("#active-filters").inner_text()
    page.goto(f"{base_url}/article/{hostile_id(salt)}")
    assert page.locator("h1").inner_text() == HOSTILE_TITLE
    assert page.locator("#source-link").evaluate("e => e.tagName") == "SPAN"
    assert page.locator("a[href^='javascript:']").count() == 0
    for selector in ("script:not([src])", "[onerror]", "[onload]", "[onmouseover]", "img[src=x]"):
        assert page.locator(selector).count() == 0, selector
    page.locator("#source-link").click()
    assert page.evaluate("window.__xss") is None


def test_basic_search_and_facets_work_without_javascript(
    browser: Any, base_url: str, web_settings: Settings
) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{base_url}/")
    page.fill("#q", "budget")
    page.click("form.search button[type=submit]")
    page.wait_for_url(re.compile("q=budget"))
    page.locator("#facet-languages .facet-value").first.click()
    page.wait_for_url(re.compile("languages="))
    language = params(page)["languages"][0]
    assert shown_total(page) == expected_total(web_settings, query="budget", terms={"languages": [language]})
    context.close()


def test_keyboard_slash_focuses_search_and_enter_searches(page: Any, base_url: str) -> None:
    page.goto(f"{base_url}/")
    page.keyboard.press("/")
    assert page.evaluate("document.activeElement.id") == "q"
    page.keyboard.type("court")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile("q=court"))
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.tagName") == "A"  # the skip link comes first


def test_phone_width_has_no_horizontal_scroll(browser: Any, base_url: str) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    page = context.new_page()
    page.goto(f"{base_url}/?q=election&cq=budget")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    context.close()
