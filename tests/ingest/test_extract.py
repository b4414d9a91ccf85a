from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from ingest.decode import decode_html
from ingest.extract import Extracted, Rejection, extract_article
from tests.ingest.corpus import GERMAN_ARTICLES, body, entry

ARTICLE_HTML = """<html lang="en"><head><title>Storm hits coast</title>
<meta name="description"
 content="A strong storm hit the northern coast on Tuesday, cutting power to thousands of homes.">
<meta property="article:published_time" content="2024-03-12T08:00:00+01:00">
<meta name="author" content="Jane Doe"><link rel="canonical" href="https://news.example.org/storm"></head>
<body><nav><a href="/">Home</a> <a href="/world">World</a></nav><article><h1>Storm hits coast</h1>
<div class="intro">A strong storm hit the northern coast on Tuesday,
cutting power to thousands of homes.</div>
<div class="body">
<p>The storm arrived in the early morning hours and brought winds of up to 140 kilometres per hour,
according to the national weather service, which had issued warnings the day before.</p>
<p>Emergency crews worked through the day to clear roads blocked by fallen trees. Schools in the region
stayed closed, and ferry services to the islands were suspended until further notice.</p>
<p>Read more: Ten tips for storm season</p>
<p>Officials said power would be restored to most households by the end of the week.</p>
</div></article><footer>© 2024 Example News</footer></body></html>"""


def test_extract_returns_text_and_metadata_of_an_article() -> None:
    result = extract_article(ARTICLE_HTML, "https://news.example.org/storm?utm_source=rss")
    assert isinstance(result, Extracted)
    assert result.title == "Storm hits coast"
    assert result.authors == ("Jane Doe",)
    assert result.published_at is not None and result.published_at.date().isoformat() == "2024-03-12"
    assert result.declared_canonical_url == "https://news.example.org/storm"
    assert result.language == "en"


def test_extract_separates_paragraphs_with_blank_lines() -> None:
    result = extract_article(ARTICLE_HTML, "https://news.example.org/storm")
    assert isinstance(result, Extracted)
    assert "per hour,\naccording" not in result.text
    assert "the day before.\n\nEmergency crews" in result.text


def test_extract_keeps_the_lead_paragraph_and_drops_read_more_lines() -> None:
    result = extract_article(ARTICLE_HTML, "https://news.example.org/storm")
    assert isinstance(result, Extracted)
    assert "\n\nA strong storm hit the northern coast on Tuesday" in result.text
    assert "Read more" not in result.text


@pytest.mark.parametrize("file", GERMAN_ARTICLES)
def test_extract_corpus_article_keeps_its_with_snippets(corpus_dir: Path, file: str) -> None:
    page = entry(corpus_dir, file)
    result = extract_article(decode_html(body(corpus_dir, file), None), page["url"])
    assert isinstance(result, Extracted)
    text = " ".join(result.text.split())
    assert any(" ".join(s.split()) in text for s in page["with"])
    assert isinstance(result.published_at, datetime)


@pytest.mark.parametrize(
    ("html", "reason"),
    [
        ("", "not_article:empty"),
        ("   \n ", "not_article:empty"),
        ("\x00\x01binary\xff" * 50, "not_article:not_html"),
        ("<html><body><p>Too short.</p></body></html>", "not_article:too_short"),
        ("<html><body></body></html>", "not_article:no_main_text"),
        ("<<<>>><div <p></div>" * 20, "not_article:too_short"),
    ],
)
def test_extract_rejects_non_articles_with_a_reason_instead_of_raising(html: str, reason: str) -> None:
    result = extract_article(html, "https://example.org/x")
    assert isinstance(result, Rejection)
    assert result.reason == reason and result.stage == "extract" and result.url == "https://example.org/x"


def test_extract_rejects_a_listing_page_on_a_section_url() -> None:
    teaser = '<li><p><a href="/a{0}">Headline number {0} of the day</a></p></li>'
    teasers = "".join(teaser.format(i) for i in range(30))
    html = f"<html><body><main><h1>Politik</h1><ul>{teasers}</ul></main></body></html>"
    result = extract_article(html, "https://example.org/category/politik/")
    assert isinstance(result, Rejection)
    assert result.reason in {"not_article:listing_page", "not_article:too_short", "not_article:no_main_text"}


def test_an_interview_with_many_subheadings_on_a_topic_url_is_an_article_not_a_listing() -> None:
    answer = (
        "<p>She said the debate had hardly started, and that most of the letters she received after each "
        "talk were friendly, even from readers who did not share her view on the question of language "
        "or on the schools.</p>"
    )
    sections = "".join(
        f"<h2>Question {i} of the talk</h2>{answer}<h3>A second heading, part {i}</h3>" for i in range(6)
    )
    html = f"<html><body><article><h1>A talk about language</h1>{sections}</article></body></html>"
    result = extract_article(html, "https://example.org/themen/society/398805-a-talk-about-language.html")
    assert isinstance(result, Extracted), result
    assert "most of the letters she received" in result.text


def test_extract_reports_an_internal_error_as_extract_error(monkeypatch: pytest.MonkeyPatch) -> None:
    def explode(*_args: object, **_kwargs: object) -> None:
        raise MemoryError("boom")

    monkeypatch.setattr("ingest.extract.bare_extraction", explode)
    result = extract_article(ARTICLE_HTML, "https://example.org/x")
    assert isinstance(result, Rejection) and result.reason == "extract_error:MemoryError"


def test_byline_leftovers_are_not_authors() -> None:
    from ingest.authors import clean_authors

    def byline(text: str) -> tuple[str, ...]:
        return clean_authors([], [], text, set())

    assert byline("Article by") == ()
    assert byline("By John Smith") == ("John Smith",)
    assert byline("Von Anna Meier und Paul Huber") == ("Anna Meier", "Paul Huber")
    assert byline("Bybee Jones") == ("Bybee Jones",)
