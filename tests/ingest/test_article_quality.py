"""Metadata choice, news cleanup, quality and page-type dead letters, on small hand-made pages."""

from __future__ import annotations

import json

from ingest.extract import Extracted, Rejection, extract_article
from ingest.metadata import strip_site_name
from ingest.quality import MIN_QUALITY, text_quality
from ingest.text_cleanup import clean_paragraphs

BODY = "".join(
    f"<p>Paragraph {i} of the report says that the council met on Monday and agreed on a new plan for the "
    f"river banks, which will be rebuilt over the next three years at a cost of several million.</p>"
    for i in range(6)
)


def _page(head: str, body: str = BODY, before: str = "", after: str = "") -> str:
    return (
        f'<html lang="en"><head>{head}</head><body><nav><a href="/">Home</a></nav>'
        f"<article><h1>Council agrees river plan</h1>{before}<div class='body'>{body}</div>{after}</article>"
        "<footer>Example Times</footer></body></html>"
    )


def _jsonld(data: object) -> str:
    return f'<script type="application/ld+json">{json.dumps(data)}</script>'


ARTICLE_LD = {
    "@context": "https://schema.org",
    "@graph": [
        {"@type": "WebSite", "@id": "https://times.example/#site", "name": "Example Times"},
        {"@type": "Person", "@id": "https://times.example/#jane", "name": "Jane Doe"},
        {
            "@type": "NewsArticle",
            "headline": "Council agrees river plan",
            "author": [
                {"@id": "https://times.example/#jane"},
                {"@type": "Person", "name": "By John Roe"},
                {"@type": "Organization", "name": "Example Times"},
            ],
            "datePublished": "2024-03-12T08:00:00+01:00",
            "dateModified": "2024-03-13T10:30:00+01:00",
            "publisher": {"@type": "NewsMediaOrganization", "name": "Example Times"},
        },
    ],
}


def test_jsonld_graph_gives_authors_as_people_dates_and_headline() -> None:
    head = (
        "<title>Council agrees river plan | Example Times</title>"
        '<meta property="og:site_name" content="Example Times">'
        '<meta name="author" content="Example Times">' + _jsonld(ARTICLE_LD)
    )
    result = extract_article(_page(head), "https://times.example/news/river-plan")
    assert isinstance(result, Extracted)
    assert result.authors == ("Jane Doe", "John Roe")
    assert result.title == "Council agrees river plan"
    assert result.published_at is not None and result.published_at.isoformat() == "2024-03-12T08:00:00+01:00"
    assert result.modified_at is not None and result.modified_at.isoformat() == "2024-03-13T10:30:00+01:00"
    assert result.extraction.method == "trafilatura" and result.extraction.quality >= MIN_QUALITY


def test_title_loses_site_name_and_date_segments() -> None:
    keys = {"exampletimes", "example"}
    assert strip_site_name("Council agrees river plan | Example Times", keys) == "Council agrees river plan"
    assert strip_site_name("Example Times – Council agrees river plan", keys) == "Council agrees river plan"
    assert (
        strip_site_name("River plan: what changes | Example | 28.04.2023", keys) == "River plan: what changes"
    )
    assert (
        strip_site_name("Rain - and more rain - in the north", keys) == "Rain - and more rain - in the north"
    )


def test_og_title_is_used_when_there_is_no_jsonld() -> None:
    head = (
        '<meta property="og:title" content="Council agrees river plan - Example Times">'
        '<meta property="og:site_name" content="Example Times">'
    )
    result = extract_article(_page(head), "https://times.example/news/river-plan")
    assert isinstance(result, Extracted) and result.title == "Council agrees river plan"


def test_published_date_comes_from_the_page_not_from_modified_or_fetch_time() -> None:
    head = (
        '<meta property="article:modified_time" content="2024-05-02T09:00:00Z">'
        '<meta property="article:published_time" content="2024-05-01T18:15:00Z">'
    )
    result = extract_article(_page(head), "https://times.example/news/river-plan")
    assert isinstance(result, Extracted)
    assert result.published_at is not None and result.published_at.date().isoformat() == "2024-05-01"
    assert result.modified_at is not None and result.modified_at.date().isoformat() == "2024-05-02"


def test_byline_and_dateline_rows_are_not_body_text() -> None:
    rows = [
        "By Jane Doe and John Roe",
        "Updated: 12.03.2024, 10:15",
        "March 12, 2024",
        "Share on Facebook",
        "Facebook Twitter WhatsApp E-Mail",
        "Photo: Max Muster / Getty Images",
        "The council met on Monday and agreed on a new plan for the river banks.",
    ]
    assert clean_paragraphs(rows, ["Jane Doe", "John Roe"]) == [rows[-1]]


def test_related_posts_block_and_newsletter_box_are_dropped() -> None:
    related = (
        "<div><h3>Related articles</h3><p>Read more: Floods in the valley</p>"
        "<p>Sign up for our newsletter today</p></div>"
    )
    result = extract_article(_page("", after=related), "https://times.example/news/river-plan")
    assert isinstance(result, Extracted)
    assert "Related articles" not in result.text and "Read more" not in result.text
    assert "newsletter" not in result.text
    assert "Paragraph 5 of the report" in result.text


def test_a_page_declaring_a_collection_is_dead_lettered_as_a_listing() -> None:
    teasers = "".join(
        f'<li><h2><a href="/news/{i}">Headline number {i} of the day in the city and the region</a></h2>'
        f"<p>A short teaser for story {i}, which explains in one sentence what the story is about.</p></li>"
        for i in range(20)
    )
    head = _jsonld({"@context": "https://schema.org", "@type": "CollectionPage", "name": "Local news"})
    html = f"<html><head>{head}</head><body><main><h1>Local news</h1><ul>{teasers}</ul></main></body></html>"
    result = extract_article(html, "https://times.example/local")
    assert isinstance(result, Rejection)
    assert result.reason == "not_article:listing_page"


def test_a_video_page_without_text_is_dead_lettered() -> None:
    head = '<meta property="og:type" content="video.other">'
    body = "".join(
        f"<p>Watch part {i}: the council meeting on the river plan, with the mayor's statement.</p>"
        for i in range(4)
    )
    result = extract_article(_page(head, body=body), "https://times.example/video/river-plan")
    assert isinstance(result, Rejection) and result.reason == "not_article:video_page"


def test_quality_is_low_for_short_link_lists_and_high_for_running_text() -> None:
    teasers = [f"Headline number {i}" for i in range(12)]
    article = [" ".join(["The council agreed on a plan for the river banks."] * 4)] * 8
    assert text_quality(teasers, has_title=False, has_date=False) < MIN_QUALITY
    assert text_quality(article, has_title=True, has_date=True) > 0.9
