"""trafilatura's metadata with its author and date guesses made on demand
(``ingest/trafilatura_metadata.py``): the same values as ``trafilatura.metadata.extract_metadata`` as
``bare_extraction`` calls it, and the guesses made only when the page's own metadata leaves them to
trafilatura."""

from __future__ import annotations

import json

import pytest
from trafilatura.metadata import extract_author, extract_metadata
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
    author, date = tm._author_search, tm.find_date

    def counted_author(*args, **kwargs):
        calls["author"] += 1
        return author(*args, **kwargs)

    def counted_date(*args, **kwargs):
        calls["date"] += 1
        return date(*args, **kwargs)

    monkeypatch.setattr(tm, "_author_search", counted_author)
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


MARKUP = (
    "<html><body><div class='comments'><span class='author'>Commenter One</span></div>"
    "<section id='comment-list'><a rel='author'>Commenter Two</a></section>"
    "<div class='meta-date'>x</div><div class='Comments-box'><p class='byline'>In comments</p></div>"
    "<header><a rel='author' href='/a/jane'>Jane Doe</a><span class='post-author-name'>J. Doe</span>"
    "<strong itemprop='author name'>Jane</strong><div data-testid='AuthorCard'>Card</div>"
    "<p><rel>me</rel>Rel me</p><author>Tag Author</author></header>"
    "<h3 id='zuozhe'>Zuozhe</h3><h4 class='username'>user</h4><span itemprop='authorName'>Item</span>"
    "<div class='BBL'>B</div><span class='submitted-by x'>Sub</span><em id='Author'>Em</em>"
    "<b class='screenname'>Screen</b><i class='WriterBox writer'>W</i><u data-component='ByLine Byline'>U</u>"
    "<figure><span class='author'>Photo Author</span></figure><time class='author'>T</time>"
    "<a class='print-author'>Print</a><span class='article-support'><a class='author'>Support</a></span>"
    "</body></html>"
)


def test_author_search_selects_trafilaturas_nodes() -> None:
    from trafilatura.xpaths import AUTHOR_DISCARD_XPATHS, AUTHOR_XPATHS

    tree = load_html(MARKUP)
    discarded = [e for e in tree.iter(*tm._DISCARD_TAGS) if e is not tree and tm._discarded(e)]
    assert discarded == AUTHOR_DISCARD_XPATHS[0](tree) and len(discarded) == 6
    candidates = tm._candidates(tree)
    assert list(candidates) == [xpath(tree) for xpath in AUTHOR_XPATHS]
    assert [len(found) for found in candidates] == [10, 11, 13]
    assert tm._author_search(tree) == extract_author(tree) == "Jane Doe"


LINKS = (
    "<html><head><meta property='article:section' content='Local'></head><body>"
    "<div class='post-meta'><a href='/category/news/'>News</a>"
    "<div class='tags'><a href='/tag/x'>X</a></div></div>"
    "<p class='postinfo'><a href='/categories/a'>A</a></p><p id='filedunder'><a>no href</a></p>"
    "<footer class='entry-footer'><a href='/cat/b'>B</a></footer>"
    "<li class='x cat-links'><a href='/y'>Y</a></li>"
    "<header class='entry-header'><a href='/tags/c'>C</a></header>"
    "<div class='row'><a href='/tag/d'>D</a></div>"
    "<p class='entry-tags'><a href='/tags/e'>E</a></p><div class='tagcloud'><a href='/tag/f'>F</a></div>"
    "<section class='topics'><a class='topics' href='/tag/g'>G<a href='/tag/h'>H</a></a></section>"
    "<div id='postpath-1'><span><a href='/category/i'>I</a></span></div>"
    "</body></html>"
)


def test_category_and_tag_search_selects_trafilaturas_links() -> None:
    from trafilatura.metadata import extract_catstags
    from trafilatura.xpaths import CATEGORIES_XPATHS, TAGS_XPATHS

    tree = load_html(LINKS)
    categories, tags = tm._containers(tree)
    assert [tm._links(found) for found in categories] == [xpath(tree) for xpath in CATEGORIES_XPATHS]
    assert [tm._links(found) for found in tags] == [xpath(tree) for xpath in TAGS_XPATHS]
    assert sum(map(len, categories)) >= 6 and sum(map(len, tags)) >= 4  # every entry has a container
    for kind, found in (("category", categories), ("tag", tags)):
        assert tm._categories_or_tags(tree, kind, found) == extract_catstags(kind, tree)
