"""Issue 14, session 9 author and title rules for small sites, on small hand-made pages: a blog's
lower-case account name, commenters' names, "autor" byline classes, "Posted by" lines, a metadata
headline cut short of the h1 (docs/extraction-log.md, "Session 9: authors on small sites")."""

from __future__ import annotations

import json

from ingest.authors import Byline, clean_authors
from ingest.extract import Extracted, extract_article
from ingest.metadata import choose_title

BODY = "".join(
    f"<p>Paragraph {i} of the post says that the club met on Monday and agreed on a new plan for the "
    f"river banks, which will be cleaned over the next three summers with help from the town.</p>"
    for i in range(6)
)
URL = "https://riverclub.example/2024/05/river-plan/"
KEYS = {"riverclub", "riverclubexample"}


def _extract(html: str) -> Extracted:
    result = extract_article(html, URL)
    assert isinstance(result, Extracted), result
    return result


def _blog(post_meta: str, comments: str = "", head: str = "") -> str:
    """An old-style blog page: the h1 is the blog's name, the post's title an h2, comments after it."""
    return (
        f"<html lang='en'><head><title>River Club » River plan agreed</title>{head}</head><body>"
        "<h1>River Club</h1><div class='post'><h2>River plan agreed</h2>"
        f"<div class='postdata'>{post_meta}<span class='date'>03.05.2024</span></div>"
        f"<div class='entry'>{BODY}</div></div>{comments}</body></html>"
    )


def test_a_lower_case_account_name_keeps_the_pages_spelling() -> None:
    # trafilatura capitalises its guess; the byline element shows the account name in lower case
    assert clean_authors([], [], "Flerche", KEYS, lambda: [Byline("von flerche", 0)]) == ("flerche",)
    assert clean_authors([], [], "Jane Roe", KEYS, lambda: [Byline("by jane roe", 0)]) == ("jane roe",)
    # without a byline element showing it, the guess stays as it is
    assert clean_authors([], [], "Jane Roe", KEYS, lambda: [Byline("Ann Lee", 0)]) == ("Jane Roe",)


def test_a_commenters_name_is_no_byline_and_posted_by_credits_the_author() -> None:
    comments = (
        "<div id='comments'><ol class='commentlist'>"
        "<li class='comment'><span class='comment-author-link'>Flappy Bird</span><p>Nice post!</p></li>"
        "<li class='comment'><div class='comment-author vcard'>Graugans sagt:</div><p>Thanks.</p></li>"
        "</ol></div>"
    )
    result = _extract(_blog("<span class='category'>Posted by Konstantin</span>", comments))
    assert result.authors == ("Konstantin",)


def test_commenters_alone_credit_nobody() -> None:
    comments = (
        "<ol class='comment-list'><li class='comment'>"
        "<div class='comment-author vcard'><b class='fn'>Jane Roe</b> says:</div><p>Great.</p></li></ol>"
    )
    assert _extract(_blog("", comments)).authors == ()


def test_a_byline_class_named_autor_is_a_byline() -> None:
    result = _extract(_blog("<p class='node-autor_name'>Redacción Fama</p>"))
    assert result.authors == ("Redacción Fama",)


def test_a_long_metadata_headline_cut_short_gives_way_to_the_h1() -> None:
    h1 = (
        "Club and town agree on a plan for the river banks: three summers of cleaning work, new paths "
        "and a meadow for the birds"
    )
    cut = h1[:112].rstrip()  # a CMS clipped the JSON-LD headline mid-sentence
    assert choose_title({"jsonld": cut, "h1": h1}, KEYS) == h1
    # a short metadata headline the h1 extends is an edited headline, and kept
    assert choose_title({"og": "Club and town agree", "h1": "Club and town agree on a plan"}, KEYS) == (
        "Club and town agree"
    )
    # an h1 that goes on after a separator is the headline plus a subtitle, not a cut
    assert choose_title({"jsonld": h1[:101], "h1": h1[:101] + ": what it means"}, KEYS) == h1[:101]


def test_a_cut_jsonld_headline_on_a_whole_page() -> None:
    h1 = (
        "Club and town agree on a plan for the river banks: three summers of cleaning work, new paths "
        "and a meadow for the birds"
    )
    data = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": h1[:112].rstrip()}
    html = (
        "<html lang='en'><head><title>River Club</title>"
        f"<script type='application/ld+json'>{json.dumps(data)}</script></head><body>"
        f"<article><h1>{h1}</h1><div class='body'>{BODY}</div></article></body></html>"
    )
    assert _extract(html).title == h1
