"""Title and author rules of session 7 on small hand-made pages (stacked author lists, the shorter
social title, brand segments, signatures) and the optional publisher-parser path."""

from __future__ import annotations

import json
import logging
import sys

import pytest

from ingest import publisher_parsers
from ingest.authors import Byline, clean_authors
from ingest.extract import Extracted, extract_article
from ingest.metadata import choose_title, strip_site_name, title_tail_key
from schemas.settings import Settings, get_settings

BODY = "".join(
    f"<p>Paragraph {i} of the report says that the council met on Monday and agreed on a new plan for the "
    f"river banks, which will be rebuilt over the next three years at a cost of several million.</p>"
    for i in range(6)
)
URL = "https://times.example/news/2024/council-river-plan"
KEYS = {"exampletimes", "timesexample"}


def _page(header: str, author: object, aside: str = "") -> str:
    linked = {"@type": "NewsArticle", "headline": "Council agrees river plan", "author": author}
    return (
        '<html lang="en"><head><title>Council agrees river plan | Example Times</title>'
        f'<script type="application/ld+json">{json.dumps(linked)}</script></head><body>'
        f"<article><h1>Council agrees river plan</h1><header>{header}</header><div class='body'>{BODY}</div>"
        f"</article><aside>{aside}</aside></body></html>"
    )


def _authors(html: str) -> tuple[str, ...]:
    result = extract_article(html, URL)
    assert isinstance(result, Extracted), result
    return result.authors


def _author(name: str, slug: str, title: str = "") -> str:
    job = f'<span class="job-title">{title}</span>' if title else ""
    return f'<div class="author"><a href="/authors/{slug}/">{name}</a>{job}</div>'


def test_a_stacked_author_list_adds_the_co_authors_jsonld_leaves_out_without_job_titles() -> None:
    header = (
        '<div class="authors"><span class="author-label">By</span>'
        + _author("Jane Doe", "jane-doe", "News Reporter")
        + _author("John Roe", "john-roe", "Political Editor")
        + _author("Mary Major", "mary-major")
        + "</div>"
    )
    person = {"@type": "Person", "name": "Jane Doe"}
    assert _authors(_page(header, person)) == ("Jane Doe", "John Roe", "Mary Major")


def test_teaser_bylines_elsewhere_on_the_page_add_no_one() -> None:
    header = '<div class="byline">Jane Doe</div>'
    aside = "".join(
        f'<div class="teaser"><p class="byline">{name}</p></div>' for name in ("Ann Lee", "Bo Park")
    )
    assert _authors(_page(header, {"@type": "Person", "name": "Jane Doe"}, aside)) == ("Jane Doe",)


def test_a_byline_group_that_is_not_a_clean_list_of_names_adds_no_one() -> None:
    chosen = [("Jane Doe", True)]
    label = [Byline("Jane Doe", 0), Byline("log in to follow", 0)]
    assert clean_authors(chosen, [], None, KEYS, lambda: label) == ("Jane Doe",)
    teaser = [Byline("Jane Doe", 0), Byline("Council agrees a new plan for the river banks", 0)]
    assert clean_authors(chosen, [], None, KEYS, lambda: teaser) == ("Jane Doe",)
    # a photo credit and a job title in byline markup are skipped, not taken as co-authors
    credits = [
        Byline("Foto: REUTERS/Ann Lee", 0),
        Byline("Jane Doe", 0),
        Byline("Political Correspondent", 0),
    ]
    assert clean_authors(chosen, [], None, KEYS, lambda: credits) == ("Jane Doe",)
    # a group naming someone else than the chosen person is not the article's byline
    other = [Byline("Ann Lee", 0), Byline("Bo Park", 0)]
    assert clean_authors(chosen, [], None, KEYS, lambda: other) == ("Jane Doe",)


def test_the_chosen_sources_spelling_is_kept_when_the_byline_adds_people() -> None:
    chosen = [("Sophie-Foster", True)]
    group = [Byline("By Sophie Foster", 0), Byline("Ann Lee", 0)]
    assert clean_authors(chosen, [], None, KEYS, lambda: group) == ("Sophie-Foster", "Ann Lee")


def test_an_agency_credited_in_jsonld_next_to_the_journalist_stays_and_the_site_does_not() -> None:
    author = [
        {"@type": "Person", "name": "Jane Doe"},
        {"@type": "Organization", "name": "Example Press Agency"},
        {"@type": "Organization", "name": "Example Times"},
    ]
    assert _authors(_page("", author)) == ("Jane Doe", "Example Press Agency")
    # the site's own name next to its journalist is the publisher, in a meta tag too
    assert clean_authors([], ["Jane Doe, Example Times"], None, KEYS) == ("Jane Doe",)


def test_a_label_glued_before_the_name_in_the_guessed_byline_is_left_out() -> None:
    visible = [Byline("Opinion", 0), Byline("von Jane Doe", 1), Byline("Ann Lee", 2)]
    guess = "Opinion Von Jane Doe"
    assert clean_authors([], [], guess, KEYS, lambda: visible) == ("Jane Doe",)
    # a guess that is the visible name itself, or names several people, is kept as it is
    assert clean_authors([], [], "Jane Doe", KEYS, lambda: visible) == ("Jane Doe",)
    assert clean_authors([], [], "Jane Doe and Ann Lee", KEYS, lambda: visible) == ("Jane Doe", "Ann Lee")


def _plain_page(line: str) -> str:
    """A page with no machine-readable author and no byline markup: only a line under the headline."""
    return (
        '<html lang="en"><head><title>Council agrees river plan</title></head><body><article>'
        f'<h1>Council agrees river plan</h1><p class="text-sm">{line}</p>{BODY}</article></body></html>'
    )


def test_a_by_line_under_the_headline_credits_the_author_when_nothing_else_does() -> None:
    line = (
        'By ETN, in <a href="/news">News</a>, <a href="/politics">Politics</a> &middot; <span>31 Jan</span>'
    )
    assert _authors(_plain_page(line)) == ("ETN",)
    # a sentence that opens with the same word is no by-line
    assert _authors(_plain_page("Par ailleurs, le conseil a voté le plan")) == ()
    assert _authors(_plain_page("Von der Leyen sagte am Montag, der Plan sei gut")) == ()


def test_the_shorter_of_the_jsonld_headline_and_og_title_wins() -> None:
    seo = "River plan agreed in a late-night council vote after months of talks"
    titles = {"jsonld": seo, "og": "River plan agreed", "h1": seo, "title": f"{seo} | Example Times"}
    assert choose_title(titles, KEYS) == "River plan agreed"
    # a longer og:title does not replace the JSON-LD headline, nor does a stub of a few characters
    assert choose_title({"jsonld": "River plan agreed", "og": seo}, KEYS) == "River plan agreed"
    assert choose_title({"jsonld": seo, "og": "River"}, KEYS) == seo


def test_a_shorter_og_title_in_other_words_is_a_teaser_line_and_the_headline_stays() -> None:
    headline = "What comes next for the harbour after the council vote on the river plan?"
    teaser = "Residents fear the works could close the beach all summer"
    titles = {"jsonld": headline, "og": teaser, "h1": headline}
    assert choose_title(titles, KEYS) == headline
    # the same headline with words left out is still the social variant that wins
    trimmed = "What comes next for the harbour after the council vote?"
    assert choose_title({**titles, "og": trimmed}, KEYS) == trimmed


def test_a_short_segment_opening_with_the_site_name_is_the_brand() -> None:
    keys = {"cbc", "cbcca"}
    assert strip_site_name("River plan agreed | CBC News", keys) == "River plan agreed"
    # a longer segment naming the outlet is part of the headline
    assert strip_site_name("Vote: CBC chief resigns over the river plan", keys) == (
        "Vote: CBC chief resigns over the river plan"
    )


def test_the_site_name_after_the_headline_in_the_page_title_is_stripped_from_the_headline() -> None:
    # an outlet on an IP address with no og:site_name: its name is known only from the <title> tail
    html = (
        "<html><head><title>Council agrees river plan | Metro - Metro</title></head><body><article>"
        f"<h1>Council agrees river plan | Metro</h1>{BODY}</article></body></html>"
    )
    result = extract_article(html, "http://127.0.0.1:8765/metro/articles/river.html")
    assert isinstance(result, Extracted), result
    assert result.title == "Council agrees river plan"
    # the h1 as the page wrote it ("... | Metro") is the headline, not the text's first paragraph
    assert result.text.startswith("Paragraph 0 of the report"), result.text[:80]
    assert title_tail_key("Council agrees river plan - Metro", "Council agrees river plan") == "metro"
    # a subtitle after a colon goes on with the headline: no site name is learnt from it
    assert title_tail_key("Council agrees: the plan passes", "Council agrees") is None


def test_a_bold_right_aligned_signature_under_the_text_names_the_author() -> None:
    signature = '<p style="text-align: right;"><strong>Lê Phương</strong></p>'
    html = _page("", {"@type": "Organization", "name": "Example Times"}).replace(
        "</div></article>", "</div>" + signature + "</article>"
    )
    assert _authors(html) == ("Lê Phương",)
    quote = (
        '<p align="right"><b>"We will rebuild the river banks within three years," the mayor said.</b></p>'
    )
    html = _page("", {"@type": "Organization", "name": "Example Times"}).replace(
        "</div></article>", "</div>" + quote + "</article>"
    )
    assert _authors(html) == ("Example Times",)


class _Body:
    def __init__(self, paragraphs: list[str]) -> None:
        self.paragraphs = paragraphs

    def as_text_sequence(self) -> list[str]:
        return self.paragraphs


class _Publisher:
    """A stand-in for a fundus publisher (fundus itself is optional and not installed for tests)."""

    def __init__(self, parsed: dict | Exception) -> None:
        self.parsed = parsed

    def parser(self) -> _Publisher:
        return self

    def parse(self, html: str, error_handling: str) -> dict:
        if isinstance(self.parsed, Exception):
            raise self.parsed
        return self.parsed


def test_publisher_parsers_are_off_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    assert Settings.model_fields["publisher_parsers"].default is False
    monkeypatch.delenv("NEWSFLOW_PUBLISHER_PARSERS", raising=False)
    get_settings.cache_clear()
    # a parser that would answer if asked: the default path must not ask it
    monkeypatch.setattr(publisher_parsers, "available", lambda: True)
    monkeypatch.setattr(
        publisher_parsers, "publisher_for", lambda url: _Publisher({"body": _Body(["Parsed."])})
    )
    html = _page('<div class="byline">Jane Doe</div>', {"@type": "Person", "name": "Jane Doe"})
    result = extract_article(html, URL)
    assert isinstance(result, Extracted) and result.extraction.method == "trafilatura"
    monkeypatch.setenv("NEWSFLOW_PUBLISHER_PARSERS", "true")
    get_settings.cache_clear()
    asked = extract_article(html, URL)
    get_settings.cache_clear()
    assert isinstance(asked, Extracted) and (asked.extraction.method, asked.text) == ("fundus", "Parsed.")


def test_a_publisher_parser_replaces_the_fields_it_has_and_keeps_the_others(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    html = _page('<div class="byline">Jane Doe</div>', {"@type": "Person", "name": "Jane Doe"})
    generic = extract_article(html, URL, publisher_parsers=False)
    assert isinstance(generic, Extracted)
    parsed = {"title": "River plan agreed", "authors": [], "body": _Body(["First.", "  Second  paragraph. "])}
    monkeypatch.setattr(publisher_parsers, "publisher_for", lambda url: _Publisher(parsed))
    refined = publisher_parsers.refine(generic, html, URL)
    assert (refined.title, refined.text, refined.authors) == (
        "River plan agreed",
        "First.\n\nSecond paragraph.",
        ("Jane Doe",),
    )
    assert refined.extraction.method == "fundus"
    # a parser that fails or finds no body leaves the generic article as it was
    for broken in (ValueError("layout changed"), {"title": "x", "body": _Body([])}):
        monkeypatch.setattr(publisher_parsers, "publisher_for", lambda url, b=broken: _Publisher(b))
        assert publisher_parsers.refine(generic, html, URL) == generic


def test_publisher_parsers_on_without_fundus_warn_once_and_keep_the_generic_article(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setitem(sys.modules, "fundus", None)  # an import of fundus raises ImportError
    publisher_parsers.available.cache_clear()
    publisher_parsers._warn_missing.cache_clear()
    html = _page('<div class="byline">Jane Doe</div>', {"@type": "Person", "name": "Jane Doe"})
    try:
        with caplog.at_level(logging.WARNING, logger="ingest.publisher_parsers"):
            results = [extract_article(html, URL, publisher_parsers=True) for _ in range(3)]
        assert not publisher_parsers.available()  # asking whether it is there (the bench does) says nothing
    finally:
        publisher_parsers.available.cache_clear()
        publisher_parsers._warn_missing.cache_clear()
    assert all(isinstance(r, Extracted) and r.extraction.method == "trafilatura" for r in results)
    warnings = [r.getMessage() for r in caplog.records if r.name == "ingest.publisher_parsers"]
    assert len(warnings) == 1 and "infra/setup.sh --with-fundus" in warnings[0]


ORGANISATION = {"@type": "Organization", "name": "Example Times"}


def test_an_author_page_link_between_headline_and_text_names_the_author_the_outlet_hid() -> None:
    """Session 9: the machine-readable credit is the outlet alone; the page links the person's author page
    under the headline, without byline markup."""
    header = '<p class="meta-info">von <a href="/autoren/name/jane-doe">Dr. Jane Doe</a></p>'
    assert _authors(_page(header, ORGANISATION)) == ("Dr. Jane Doe",)
    # a link whose text is a label, not the name its address is made of
    header = '<p class="meta-info"><a href="/author/jane-doe/">More Posts</a></p>'
    assert _authors(_page(header, ORGANISATION)) == ("Example Times",)
    # an author page on another site (a book's author) or after the text began (a teaser's) names no one
    header = '<p class="meta-info">by <a href="https://books.example/author/jane-doe">Jane Doe</a></p>'
    assert _authors(_page(header, ORGANISATION)) == ("Example Times",)
    teaser = '<p>More from <a href="/author/john-roe/">John Roe</a></p>'
    assert _authors(_page("", ORGANISATION, aside=teaser)) == ("Example Times",)


def test_a_bold_paragraph_of_names_opening_the_text_credits_them_when_the_outlet_hid_them() -> None:
    """Session 9: "<p><strong>Jane Doe/John Roe</strong></p>" as the text's first paragraph is the byline."""
    lead = "<p><em>...as residents count the cost of the floods</em></p>"
    credit = "<p><strong>Jane Doe/John Roe</strong></p>"
    html = _page("", ORGANISATION).replace("<div class='body'>", "<div class='body'>" + lead + credit)
    assert _authors(html) == ("Jane Doe", "John Roe")
    # a bold sub-heading in sentence case is no credit, nor is a bold paragraph deep in the text
    subhead = "<p><strong>What the council decided</strong></p>"
    html = _page("", ORGANISATION).replace("<div class='body'>", "<div class='body'>" + subhead)
    assert _authors(html) == ("Example Times",)
    html = _page("", ORGANISATION).replace("</div></article>", credit + "</div></article>")
    assert _authors(html) == ("Example Times",)


def test_a_meta_credit_signed_with_the_sites_own_address_is_the_outlet() -> None:
    """Session 9: '<meta name="author" content="Example Daily (www.times.example)">' names the site."""
    html = _plain_page("").replace(
        "<head>", '<head><meta name="author" content="Example Daily (www.times.example)">'
    )
    assert _authors(html) == ("Example Daily",)  # kept as the outlet credit, not taken for a person
    html = html.replace("</h1>", '</h1><p class="meta-info">by <a href="/author/jane-doe/">Jane Doe</a></p>')
    assert _authors(html) == ("Jane Doe",)  # so a person the page shows is looked for


def test_an_author_label_with_the_name_after_it_credits_the_person() -> None:
    """Session 9: '<li><strong>Autorin/Autor</strong> Jane Doe</li>' in a fact box beside the text."""
    box = (
        "<ul><li><strong>Datum</strong> 28.04.2023</li><li><strong>Autorin/Autor</strong> Jane Doe</li></ul>"
    )
    assert _authors(_page("", ORGANISATION, aside=box)) == ("Jane Doe",)
    assert _authors(_page("", ORGANISATION, aside="<dl><dt>Author:</dt><dd>Jane Doe</dd></dl>")) == (
        "Jane Doe",
    )
    # a menu link "Authors" followed by another link names no one
    menu = '<nav><a href="/authors">Authors</a> <a href="/latest">Latest Activity</a></nav>'
    assert _authors(_page("", ORGANISATION, aside=menu)) == ("Example Times",)


def test_a_chinese_editor_line_closing_the_text_credits_the_editors() -> None:
    """Session 9: "(责编：张伟、李娜)" under the text is the only credit a Chinese news page shows."""
    page = (
        '<html lang="zh"><head><title>市议会通过河岸改造计划</title></head><body><div class="text">'
        + "".join(
            f"<p>市议会周一开会，同意了一项新的河岸改造计划，工程将在未来三年内完成，耗资数百万元。{i}</p>"
            for i in range(8)
        )
        + '<div class="edit">(责编：张伟、李娜)</div></div></body></html>'
    )
    assert _authors(page) == ("张伟", "李娜")


def test_a_name_row_ending_in_a_separator_before_the_date_is_the_byline() -> None:
    """Session 9: '<span>Jane Doe |</span><span class="tarih">05.04.2025</span>' without byline classes."""
    row = '<div class="row"><span>Jane Doe &nbsp;|</span><span class="tarih">05.04.2025 - 10:00</span></div>'
    assert _authors(_page(row, ORGANISATION)) == ("Jane Doe",)
    # a heading over a dated link list has no separator
    heading = "<div><h4>Related News</h4><span>05.04.2025 Council meets</span></div>"
    assert _authors(_page("", ORGANISATION, aside=heading)) == ("Example Times",)


def test_an_article_author_meta_tag_is_an_author_source() -> None:
    """Session 9: '<meta name="articleAuthor" content="...">' (Turkish news templates) credits the author."""
    html = _page("", ORGANISATION).replace("<head>", '<head><meta name="articleAuthor" content="Jane Doe">')
    assert _authors(html) == ("Jane Doe",)


def test_a_web_address_credited_as_author_is_the_outlet_not_a_person() -> None:
    assert clean_authors([], [], "Www Site Pl", KEYS) == ()  # trafilatura's rewrite of "www.site.pl"
    assert clean_authors([("www.site.pl", True)], [], None, KEYS) == ()
    # after a label, with the date row of the same element
    byline = [Byline("Autor: www.site.pl Data: 28-04-2021, 09:29", 0)]
    assert clean_authors([], [], None, KEYS, bylines=lambda: byline) == ()
    person = [Byline("Autor: Anna Nowak", 0)]
    assert clean_authors([], [], None, KEYS, bylines=lambda: person) == ("Anna Nowak",)
