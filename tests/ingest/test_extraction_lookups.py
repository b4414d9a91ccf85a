"""The cheaper page lookups (session 7 CPU work) select exactly what their plain XPath definitions
select, on small hand-made pages with the awkward cases: several candidates, nesting, odd case; the
page tree (session 8) is trafilatura's, with the same element classes, and the boilerplate lines are
those of the one-pattern definition."""

from __future__ import annotations

import re

from lxml import etree
from lxml import html as lxml_html
from trafilatura.utils import load_html as trafilatura_load_html

from ingest.bylines import _BYLINE_TEST, BYLINE_XPATH
from ingest.extract import _STANDFIRST_CLASS, STANDFIRST_FETCH_CHUNK, _lead_paragraph, _marked_elements
from ingest.html_tree import load_html
from ingest.metadata import _marks
from ingest.text_cleanup import (
    _BOILERPLATE_LINE,
    _BOILERPLATE_LINE_FLOATING,
    _CODE_LINE,
    _DATELINE,
    _FLOATING_STEMS,
    _OFFER_STEMS,
    _READER_CALL_STEMS,
    _folded,
    _stem_pattern,
    is_boilerplate,
    is_meta_row,
    line_keys,
    link_only_texts,
)


def _tree(body: str, head: str = "") -> lxml_html.HtmlElement:
    return lxml_html.document_fromstring(f"<html><head>{head}</head><body>{body}</body></html>")


def test_one_walk_finds_what_the_metadata_xpaths_find() -> None:
    tree = _tree(
        head='<title> Headline |  Site </title><meta name="author" content="A"><meta name="x">'
        '<meta property="og:title" content="">',
        body='<h1>Site name</h1><svg><title>icon</title></svg><time datetime="2024-01-01">x</time>'
        '<time pubdate datetime="2024-03-12">12 March</time>'
        '<time itemprop="datePublished" datetime="2024-03-11">later</time>'
        "<article><div><h1>The <b>headline</b></h1></div>"
        '<time itemprop="dateModified">no attr</time></article>',
    )
    marks = _marks(tree)
    assert marks.metas == tree.xpath("//meta[@content]")
    assert marks.title == tree.xpath("string(//head/title)")
    assert marks.time_published == "2024-03-12"
    assert marks.time_published == tree.xpath(
        'string((//time[@itemprop="datePublished"] | //time[@pubdate])[1]/@datetime)'
    )
    assert marks.time_modified == "" == tree.xpath('string((//time[@itemprop="dateModified"])[1]/@datetime)')
    assert marks.h1 is not None and marks.h1 is tree.xpath("(//article//h1 | //main//h1)[1]")[0]
    without_article = _tree("<div><h1>First</h1></div><h1>Second</h1>")
    first = _marks(without_article).h1
    assert first is not None and first is without_article.xpath("//body//h1[1]")[0]


def test_byline_elements_are_found_from_their_attributes_in_page_order() -> None:
    tree = _tree(
        '<div class="article-author"><a rel="author" href="/a">Jane Doe</a></div>'
        '<span itemprop="author">John Roe</span><p class="Byline">upper case: not a byline class</p>'
        '<div class="byline"><span class="author-name">Ann Poe</span></div><p rel="authors">no</p>'
    )
    assert tree.xpath(BYLINE_XPATH) == tree.xpath(f"//*[{_BYLINE_TEST}]")
    assert len(tree.xpath(BYLINE_XPATH)) == 5


def test_link_texts_asked_for_a_few_keys_are_those_of_the_whole_page() -> None:
    teasers = "".join(f'<li><a href="/n/{i}">Teaser number {i}</a></li>' for i in range(5))
    tree = _tree(f"<ul>{teasers}</ul><p>Running text with <a href='/x'>a link</a> inside it.</p>")
    everything = link_only_texts(tree)
    assert len(everything) == 5
    wanted = line_keys(["- Teaser number 1", "Teaser number 3", "Running text with a link inside it."])
    assert link_only_texts(tree, among=wanted) == everything & wanted
    assert len(link_only_texts(tree, among=wanted)) == 2


def test_standfirst_candidates_are_every_marked_element_in_page_order() -> None:
    names = ["col-md-4", "İNTRO", "ſummary box", "article__lead", "leader", "sub-headline", "x"]
    body = "".join(
        f'<div class="{names[i % len(names)]}"><p class="deck">{i}</p></div>'
        for i in range(3 * STANDFIRST_FETCH_CHUNK)
    )
    tree = _tree(body, head='<meta class="lead">')
    expected = [e for e in tree.xpath("//body//*[@class]") if _STANDFIRST_CLASS.search(e.get("class"))]
    assert list(_marked_elements(tree)) == expected
    assert len(expected) > 2 * STANDFIRST_FETCH_CHUNK


def test_the_lead_is_found_across_line_breaks_in_its_text() -> None:
    description = "The council agreed on Monday to rebuild the river banks over three years."
    tree = _tree(
        "<div><p>The council   agreed on\n Monday to rebuild the river banks over three years.</p></div>",
        head=f'<meta name="description" content="{description}">',
    )
    assert _lead_paragraph(tree) == description


def test_page_tree_is_trafilaturas_with_the_same_element_classes() -> None:
    pages = [
        "<!DOCTYPE html>\n<html><head><title>T</title></head><body><!-- note --><p>One &amp; two</p>"
        "<form><label>L</label><input name='q'><select><option>o</option></select><textarea>t</textarea>"
        "</form><?php echo 1 ?><svg:rect/></body></html>",
        '<?xml version="1.0" encoding="utf-8"?><html><body><p>declared encoding</p></body></html>',
        "<p>a fragment</p><p>and another</p>",
        "just text, no markup <b>but</b> this",
        "<html/>\n<body><div>self-closed html</div></body>",
        "<html><body>\x0bcontrol\x00chars<FORM><INPUT></FORM></body></html>",
    ]
    for page in pages:
        ours, theirs = load_html(page), trafilatura_load_html(page)
        assert (ours is None) == (theirs is None), page
        if ours is None or theirs is None:
            continue
        assert etree.tostring(ours) == etree.tostring(theirs)
        assert [type(e) for e in ours.iter()] == [type(e) for e in theirs.iter()]
    classes = {type(e).__name__ for e in load_html(pages[0]).iter()}  # type: ignore[union-attr]
    assert {"HtmlElement", "FormElement", "LabelElement", "InputElement", "SelectElement"} <= classes
    assert {"TextareaElement"} <= classes


def test_stems_are_found_in_every_casing_the_patterns_accept() -> None:
    """A character that IGNORECASE takes for a stem letter folds to that letter (every code point), in
    the one fold all three stem prefilters use."""
    letters = sorted(
        {ch for stems in (_FLOATING_STEMS, _OFFER_STEMS, _READER_CALL_STEMS) for s in stems for ch in s}
    )
    for letter in letters:
        same = re.compile(re.escape(letter), re.IGNORECASE)
        for code in range(0x110000):
            char = chr(code)
            if same.fullmatch(char):
                assert _folded(char) == letter, (letter, hex(code))
    assert _folded("\u212aOMMENTARE") == _folded("KOMMENTARE") == "kommentare"  # the Kelvin sign
    assert _folded("SUPPORT İN") == "support in"


def test_a_stem_pattern_finds_what_the_substring_tests_find() -> None:
    """The prefix-merged stem regex holds exactly when one of its stems is a substring of the line."""
    lines = [
        "nothing to see here",
        "read the comments below",
        "a commission was earned",
        "stories and a story",
        "get the app",
        "forget them",
        "getaway",
        "複数の会員",
        "",
    ]
    for stems in (
        _FLOATING_STEMS,
        _OFFER_STEMS,
        _READER_CALL_STEMS,
        ("comment", "commission", "com", "get "),
    ):
        pattern = _stem_pattern(stems)
        for line in [*lines, *(f"x {stem} y" for stem in stems), *(stem[:-1] for stem in stems)]:
            assert (pattern.search(line) is not None) == any(stem in line for stem in stems), (
                line,
                stems[:3],
            )


def test_boilerplate_lines_are_those_of_the_one_pattern_definition() -> None:
    def body(pattern: re.Pattern[str]) -> str:
        return pattern.pattern.strip().removeprefix("^(").removesuffix(")")

    one = re.compile(
        f"^({body(_BOILERPLATE_LINE)}|{body(_BOILERPLATE_LINE_FLOATING)})", re.IGNORECASE | re.VERBOSE
    )
    lines = [
        "12 Kommentare",
        "Jetzt Kommentar verfassen",
        "Sie müssen sich anmelden, um zu kommentieren",
        "Never miss a story: sign up today",
        "Foto: Max Muster / dpa",
        "Getty Images",
        "(AP Photo/Jane Roe)",
        "Nur für Abonnenten: der ganze Text",
        "この記事は有料会員限定です",
        "Datenschutz-Einstellungen aktivieren",
        "Comments are closed. Log in to the forum",
        "Your display name",
        "Please read our comment policy before posting",
        "News date : 04/21/2022 Category : Press Releases",
        "Letzte Änderung: 12.03.2024",
        "URL이 복사되었습니다",
        "会員登録すると続きを読めます",
        "Czas czytania: 3 min",
        "Release date: May 2024",
        "KOMMENTAR VERFASSEN",
        "Newſletter: ſign up today",
        "REUTERS",
        "Dİsplay name",
        "\u212aNA",
        "ın dpa",
        "The reporter asked Reuters for a comment on the plan, which was released on Monday in Berlin.",
        "A photo of the river at dawn",
        "Die Einstellungen der Regierung",
        "Read more about this",
        "—",
    ]
    for line in lines:
        one_pattern = (
            any(p.match(line) is not None for p in (one, _DATELINE, _CODE_LINE)) and len(line) <= 160
        )
        assert is_boilerplate(line) == (one_pattern or is_meta_row(line)), line
    assert sum(map(is_boilerplate, lines)) >= 20
