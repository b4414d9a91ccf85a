"""trafilatura's metadata with its author and date guesses made on demand
(``ingest/trafilatura_metadata.py``): the same values as ``trafilatura.metadata.extract_metadata`` as
``bare_extraction`` calls it, and the guesses made only when the page's own metadata leaves them to
trafilatura."""

from __future__ import annotations

import json

import pytest
from trafilatura.metadata import extract_metadata
from trafilatura.settings import DEFAULT_CONFIG, set_date_params

import ingest.trafilatura_metadata as tm
from ingest.extract import Extracted, extract_article
from ingest.html_tree import load_html
from ingest.trafilatura_metadata import TrafilaturaMetadata

URL = "https://news.example/2024/03/12/council-river-plan"
BODY = "".join(
    f"<p>Paragraph {i} of the report says that the council met and agreed on a new plan for the river "
    f"banks, which will be rebuilt over the next three years at a cost of several million.</p>"
    for i in range(6)
)
LINKED = json.dumps(
    {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": "Council agrees river plan",
        "author": {"@type": "Person", "name": "Jane Doe"},
        "datePublished": "2024-03-12T09:00:00+01:00",
    }
)
WITH_METADATA = (
    "<html><head><title>Council agrees river plan | Example News</title>"
    '<meta name="author" content="Jane Doe"><meta property="og:site_name" content="example news">'
    '<meta name="description" content="The council agreed on a river plan.">'
    '<meta property="og:image" content="https://news.example/river.jpg">'
    '<meta property="article:section" content="Local">'
    f'<script type="application/ld+json">{LINKED}</script></head>'
    f"<body><article><h1>Council agrees river plan</h1>{BODY}</article></body></html>"
)
WITHOUT_METADATA = (
    "<html><head><title>Council agrees river plan</title>"
    '<link rel="canonical" href="https://news.example/river-plan"></head>'
    "<body><article><h1>Council agrees river plan</h1>"
    '<div class="meta"><span class="author-name">John Roe</span> <span>Posted on March 12, 2024</span></div>'
    f'{BODY}<ul class="tags"><li><a href="/tag/river" rel="tag">River</a></li></ul></article></body></html>'
)


def _trafilatura(html: str) -> dict[str, object]:
    """extract_metadata with bare_extraction's arguments (its date parameters, fast=False, no blacklist)."""
    date_params = set_date_params(DEFAULT_CONFIG.getboolean("DEFAULT", "EXTENSIVE_DATE_SEARCH"))
    document = extract_metadata(load_html(html), URL, date_params, False, set())
    fields = ("title", "url", "sitename", "description", "image", "author", "date")
    return {
        **{field: getattr(document, field) for field in fields},
        "categories": document.categories or [],
        "tags": document.tags or [],
    }


def _ours(html: str) -> dict[str, object]:
    found = TrafilaturaMetadata(load_html(html), URL)
    fields = ("title", "url", "sitename", "description", "image", "author", "date", "categories", "tags")
    return {field: getattr(found, field) for field in fields}


@pytest.mark.parametrize("html", [WITH_METADATA, WITHOUT_METADATA], ids=["meta tags", "markup only"])
def test_fields_are_trafilaturas(html: str) -> None:
    expected = _trafilatura(html)
    assert expected["author"] and expected["date"]  # both guesses have something to find
    assert _ours(html) == expected


def test_no_tree_no_metadata() -> None:
    found = TrafilaturaMetadata(None, URL)
    assert (found.title, found.url, found.author, found.date, found.tags) == (None, None, None, None, [])


def _counting(monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    calls = {"author": 0, "date": 0}
    author, date = tm.extract_author, tm.find_date

    def counted_author(*args, **kwargs):
        calls["author"] += 1
        return author(*args, **kwargs)

    def counted_date(*args, **kwargs):
        calls["date"] += 1
        return date(*args, **kwargs)

    monkeypatch.setattr(tm, "extract_author", counted_author)
    monkeypatch.setattr(tm, "find_date", counted_date)
    return calls


def test_guesses_are_not_made_when_the_page_metadata_has_them(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = _counting(monkeypatch)
    result = extract_article(WITH_METADATA, URL, publisher_parsers=False)
    assert isinstance(result, Extracted)
    assert result.authors == ("Jane Doe",) and result.published_at is not None
    assert calls == {"author": 0, "date": 0}


def test_guesses_are_made_when_the_page_leaves_them_to_trafilatura(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = _counting(monkeypatch)
    result = extract_article(WITHOUT_METADATA, URL, publisher_parsers=False)
    assert isinstance(result, Extracted)
    assert result.authors == ("John Roe",)
    assert calls["author"] == 1
