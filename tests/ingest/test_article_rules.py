"""Issue 14 rules on small hand-made pages: teaser link blocks, repeated headlines, leads after a
dateline, title agreement, visible bylines, one-word credits, modified_at sources, listing pages."""

from __future__ import annotations

import json

import pytest

from ingest.authors import Byline, clean_authors
from ingest.extract import Extracted, Rejection, extract_article
from ingest.metadata import choose_title, strip_site_name
from ingest.text_cleanup import clean_paragraphs

BODY = "".join(
    f"<p>Paragraph {i} of the report says that the council met on Monday and agreed on a new plan for the "
    f"river banks, which will be rebuilt over the next three years at a cost of several million.</p>"
    for i in range(6)
)
URL = "https://times.example/news/2024/council-river-plan"


def _page(head: str = "", before: str = "", after: str = "", h1: str = "Council agrees river plan") -> str:
    return (
        f'<html lang="en"><head><title>{h1} | Example Times</title>{head}</head><body>'
        '<nav><a href="/">Home</a></nav>'
        f"<article><h1>{h1}</h1>{before}<div class='body'>{BODY}</div>{after}</article>"
        "<footer>Example Times</footer></body></html>"
    )


def _jsonld(data: object) -> str:
    return f'<script type="application/ld+json">{json.dumps(data)}</script>'


def _extract(html: str, url: str = URL) -> Extracted:
    result = extract_article(html, url)
    assert isinstance(result, Extracted), result
    return result


def test_a_related_posts_block_of_links_is_not_article_text() -> None:
    related = (
        "<h3>More from Example Times</h3><ul>"
        '<li><a href="/news/1">Mayor opens the new bridge over the river after two years</a></li>'
        '<li><span>19.03.2024</span> <a href="/news/2">Police close the old harbour road for repairs</a></li>'
        '<li><a href="/news/3">Schools in the north stay closed after the storm</a></li></ul>'
    )
    facts = "<ul><li>The plan costs 4 million euros.</li><li>Work starts in May.</li></ul>"
    result = _extract(_page(after=related, before=facts))
    assert "Mayor opens the new bridge" not in result.text
    assert "harbour road" not in result.text
    assert "More from Example Times" not in result.text
    assert "The plan costs 4 million euros." in result.text  # a list that is not links stays


def test_the_headline_is_not_repeated_as_the_first_paragraph() -> None:
    result = _extract(_page(head='<meta property="og:title" content="Council agrees river plan">'))
    assert result.title == "Council agrees river plan"
    assert not result.text.startswith("Council agrees river plan")
    assert result.text.startswith("Paragraph 0 of the report")


def test_the_lead_after_a_dateline_span_is_restored() -> None:
    lead = "The council agreed on a plan to rebuild the river banks, the largest project in a decade."
    head = f'<meta name="description" content="{lead}">'
    before = f'<div class="intro"><span class="place">Riverton.</span> <span class="lead">{lead}</span></div>'
    result = _extract(_page(head=head, before=f"<header>{before}</header>"))
    assert f"Riverton. {lead}" in result.text.split("\n\n")[0]


def test_furniture_lines_are_dropped_and_text_kept() -> None:
    lines = [
        "The council met on Monday and agreed on a plan for the river banks.",
        "Advertisement",
        "Externer Inhalt nicht verfügbar",
        "Il vous reste 57.09% de cet article à lire. La suite est réservée aux abonnés.",
        "The mayor at the river bank on Monday. Foto: NTB",
        "Sign up for our morning newsletter and get the news first.",
        "Tags: river, council, Riverton",
        "Les også: Mayor opens the new bridge",
        "Work starts in May, the mayor said.",
    ]
    assert clean_paragraphs(lines, ()) == [lines[0], lines[-1]]


@pytest.mark.parametrize(
    ("titles", "expected"),
    [
        # another source carries the headline without the section tail
        ({"jsonld": "River plan agreed | Sport", "og": "River plan agreed"}, "River plan agreed"),
        # a two-letter host label is a site name when a whole segment equals it
        ({"og": "River plan agreed | DW | 28.04.2023"}, "River plan agreed"),
    ],
)
def test_title_sources_agree_and_short_site_names_are_stripped(titles: dict[str, str], expected: str) -> None:
    assert choose_title(titles, {"dw", "dwcom"}) == expected


def test_a_site_name_with_umlauts_matches_its_domain() -> None:
    keys = {"boersenzeitung", "boersenzeitungde"}
    assert strip_site_name("Zinsen setzen Dax zu | Börsen-Zeitung", keys) == "Zinsen setzen Dax zu"


def test_a_visible_byline_names_the_author_when_metadata_names_only_the_outlet() -> None:
    head = _jsonld(
        {
            "@type": "NewsArticle",
            "headline": "Council agrees river plan",
            "author": {"@type": "Organization", "name": "Example Times"},
            "datePublished": "2024-03-12T08:00:00+01:00",
        }
    )
    byline = '<p class="article__author">von Jane Doe, EXAMPLE TIMES Riverton</p>'
    result = _extract(_page(head=head, before=byline))
    assert result.authors == ("Jane Doe",)
    assert "von Jane Doe" not in result.text


def test_one_word_untyped_credits_do_not_replace_the_outlet() -> None:
    outlet = [("Example Times", False)]
    assert clean_authors(outlet, ["amw"], "Frankfurt", {"exampletimes"}) == ("Example Times",)
    # scripts without spaces between words: one token is a full name
    assert clean_authors(outlet, ["松岡大地"], None, {"exampletimes"}) == ("松岡大地",)


def test_the_first_byline_element_that_credits_anyone_is_the_articles() -> None:
    keys = {"exampletimes"}
    # the article credits the agency; the person is a teaser's byline
    teasers = [Byline("dpa", 0), Byline("Von Knut Krohn", 1)]
    assert clean_authors([], [], None, keys, lambda: teasers) == ("dpa",)
    stamps = [
        Byline(text, i)
        for i, text in enumerate(["Veröffentlicht am 27.04.24 um 07:39 Uhr", "03:07 Min.", "Von Jane Doe"])
    ]
    assert clean_authors([], [], None, keys, lambda: stamps) == ("Jane Doe",)


def test_a_jsonld_author_list_becomes_clean_names() -> None:
    linked = [
        ("By Jane Doe and John Roe", True),
        ("jane.doe@times.example", True),
        ("Mary Major, 12.03.2024", True),
        ("Example Times", False),
    ]
    assert clean_authors(linked, [], None, {"exampletimes"}) == ("Jane Doe", "John Roe", "Mary Major")


@pytest.mark.parametrize(
    "source",
    [
        '<meta property="og:updated_time" content="2024-03-13T10:30:00+01:00">',
        '<meta property="article:modified_time" content="2024-03-13T10:30:00+01:00">',
        _jsonld({"@type": "NewsArticle", "headline": "x", "dateModified": "2024-03-13T10:30:00+01:00"}),
    ],
)
def test_modified_at_is_read_from_the_page(source: str) -> None:
    head = f'<meta property="article:published_time" content="2024-03-12T08:00:00+01:00">{source}'
    result = _extract(_page(head=head))
    assert result.modified_at is not None and result.modified_at.isoformat() == "2024-03-13T10:30:00+01:00"
    assert result.published_at is not None and result.published_at.date().isoformat() == "2024-03-12"


def test_modified_at_from_a_time_element_and_never_the_fetch_time() -> None:
    stamp = '<p><time itemprop="dateModified" datetime="2024-03-13T10:30:00+01:00">13 March</time></p>'
    assert _extract(_page(after=stamp)).modified_at is not None
    assert _extract(_page()).modified_at is None  # the page says nothing: no date is made up


def test_a_page_with_only_a_listing_is_not_an_article() -> None:
    teasers = "".join(
        f'<li><a href="/news/{i}">Story number {i} about the river, the council and the town</a></li>'
        for i in range(25)
    )
    html = (
        "<html><head><title>News | Example Times</title></head><body><main><h1>News</h1>"
        f"<ul>{teasers}</ul></main></body></html>"
    )
    result = extract_article(html, "https://times.example/news/")
    assert isinstance(result, Rejection)
    assert result.reason.startswith("not_article:")


def test_an_outlet_credit_spelt_with_umlauts_is_known_by_its_digraph_domain() -> None:
    # boersen-zeitung.de: the site keys spell the umlaut as a digraph, so must the credit's key.
    assert clean_authors([("Börsen-Zeitung", True)], ["Anna Schmidt"], None, {"boersenzeitung"}) == (
        "Anna Schmidt",
    )
