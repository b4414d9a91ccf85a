"""Credits a page shows in its markup, for ``ingest/authors.py`` to weigh against the machine-readable ones.

- byline elements (``dom_bylines``): rel/itemprop=author and byline/author classes, grouped into stacked
  author lists, and a bold right-aligned signature under the text; the same markup inside the comments
  names commenters (``comment_authors``);
- a "By Name" line under the headline without byline markup (``by_line``);
- credits in markup that is no byline element (``credit_lines``): an author-page link between the
  headline and the text, an "Author:" label, a Chinese editor line, a bold paragraph of names opening
  the text, a "Name |" row before a date.

What follows the headline is read from ``ingest/near_headline.py``'s walk, which the date line shares.
Rules and figures: docs/extraction.md ("Metadata rules"; each session's figures in docs/extraction-log.md).
"""

from __future__ import annotations

import re
from itertools import islice
from urllib.parse import urlsplit

from lxml.html import HtmlElement

from ingest.authors import Byline, name_key, name_keys
from ingest.dates import written_days
from ingest.identity import source_domain
from ingest.near_headline import NearHeadline

# Visible byline elements: rel=author links, itemprop=author, and elements whose class names a byline
# or an author ("byline", "article__author", "author-name"); the innermost ones, in page order.
# Spanish, Portuguese, German and Polish templates name the class "autor" ("node-autor_name", "autor-name"),
# which the English "author" does not contain (docs/extraction-log.md, "Session 9: authors on small sites").
_BYLINE_TEST = (
    '@rel="author" or @itemprop="author" or contains(@class, "byline") or contains(@class, "author")'
    ' or contains(@class, "autor")'
)
_NOT_BYLINE_TAGS = frozenset({"meta", "link", "script", "style", "body", "html"})
# The same elements as //*[_BYLINE_TEST] (a union is returned in document order), found from their
# attributes: libxml2 then tests only the class/rel/itemprop attributes instead of every element's
# (0.78 -> 0.40 ms a page on the corpus).
BYLINE_XPATH = (
    '//@class[contains(., "byline") or contains(., "author") or contains(., "autor")]/..'
    ' | //@rel[. = "author"]/.. | //@itemprop[. = "author"]/..'
)
# Byline markup inside the comments names a commenter ('<div class="comment-author vcard">Jane sagt:'):
# WordPress and most blog themes put the comments in an element whose id starts with "comment" or whose
# class has a token starting with "comment" ("comment", "comment-list", "commentlist", "comment-body").
SKIP_COMMENT_BYLINES = True


def _in_comments(element: HtmlElement) -> bool:
    """The element sits in the comments (a Python walk up: the same test as an XPath ancestor axis costs
    ~3 times as much, ~0.2 ms a page on the corpus)."""
    node: HtmlElement | None = element
    while node is not None and node.tag not in ("body", "html"):
        names = node.get("class") or ""
        if (node.get("id") or "").startswith("comment") or (
            "comment" in names and " comment" in " " + " ".join(names.split())
        ):
            return True
        node = node.getparent()
    return False


_INNER_BYLINE_XPATH = f".//*[{_BYLINE_TEST}]"
# A byline element's text is short; longer ones are author boxes with a biography.
MAX_BYLINE_ELEMENT_CHARS = 80
# Only the first few byline elements are read (the article's own comes first; later ones are teasers).
MAX_BYLINE_ELEMENTS = 6
# Byline elements of the same tag and class whose closest common ancestor is at most this many
# levels above each of them form one group, a stacked author list ('<div class="author"><a>A</a>
# </div><div class="author">...'); four levels reach from "address/a" elements to their shared
# header. Teasers of other articles sit in other containers, further apart.
MAX_BYLINE_GROUP_LEVELS = 4
# A link to an author page ("/authors/jane-doe/", "/autor/...") inside a byline element holds the
# name alone, without the job title or date shown next to it.
_AUTHOR_PAGE_HREF = re.compile(
    r"/(?:authors?|autor(?:en|in)?|auteurs?|autores?|forfatter|journalist(?:en)?)/", re.I
)


def _byline_text(element: HtmlElement) -> str:
    """The element's text; with several links, each link is a name; a single author-page link is
    the name (without "News Reporter" or a date after it)."""
    links = [(" ".join(a.text_content().split()), a.get("href") or "") for a in element.iter("a")]
    if len(links) > 1:
        return "; ".join(text for text, _ in links if text)
    if links and links[0][0] and _AUTHOR_PAGE_HREF.search(links[0][1]):
        return links[0][0]
    return " ".join(element.text_content().split())


def _same_group(first: HtmlElement, element: HtmlElement) -> bool:
    if (first.tag, first.get("class")) != (element.tag, element.get("class")):
        return False  # a list repeats one markup per person; a label or job title next to it differs
    above_first = list(first.iterancestors())[:MAX_BYLINE_GROUP_LEVELS]  # lxml: the same node, the same proxy
    above = list(element.iterancestors())[:MAX_BYLINE_GROUP_LEVELS]
    return any(node in above for node in above_first)


def dom_bylines(tree: HtmlElement, elements: list[HtmlElement]) -> list[Byline]:
    """The page's visible byline elements (innermost, in page order, short only), grouped by container;
    ``elements`` is the page's BYLINE_XPATH result (shared with comment_authors: one lookup a page)."""
    found: list[Byline] = []
    group_first: HtmlElement | None = None
    for element in elements:
        if element.tag in _NOT_BYLINE_TAGS or element.xpath(_INNER_BYLINE_XPATH):
            continue
        text = _byline_text(element)
        if not text or len(text) > MAX_BYLINE_ELEMENT_CHARS or any(b.text == text for b in found):
            continue
        if SKIP_COMMENT_BYLINES and _in_comments(element):
            continue
        if group_first is None or not _same_group(group_first, element):
            group_first = element
        group = found[-1].group + (group_first is element) if found else 0
        found.append(Byline(text, group))
        if len(found) >= MAX_BYLINE_ELEMENTS:
            break
    signature = _signature(tree)
    if signature:
        found.append(Byline(signature, found[-1].group + 1 if found else 0))
    return found


# A commenter's name is at most this many leading comment bylines away: the first few are enough to
# recognise trafilatura's guess, which takes the first name it finds.
MAX_COMMENT_BYLINES = 6


def comment_authors(elements: list[HtmlElement]) -> list[str]:
    """The texts of the first byline elements (of the page's BYLINE_XPATH result) inside the comments."""
    found: list[str] = []
    for element in elements:
        if element.tag not in _NOT_BYLINE_TAGS and _in_comments(element):
            text = _byline_text(element)
            if text and len(text) <= MAX_BYLINE_ELEMENT_CHARS:
                found.append(text)
                if len(found) >= MAX_COMMENT_BYLINES:
                    break
    return found


# The author's signature under the text, a right-aligned paragraph in bold ("<p style="text-align:right">
# <strong>Jane Doe</strong></p>", usual on Vietnamese news sites); the last one is the article's.
_SIGNATURE_XPATH = (
    "//p[@align='right' or contains(translate(@style, ' ', ''), 'text-align:right')][strong or b]"
)
# A signature is a name, perhaps with an agency or a city; longer right-aligned bold text is a quote.
MAX_SIGNATURE_CHARS = 40


def _bold_text(paragraph: HtmlElement) -> str:
    """The paragraph's text (white space collapsed) when all of it is in ``strong``/``b``, else ""."""
    text = " ".join(paragraph.text_content().split())
    bold = " ".join(" ".join(paragraph.xpath("(strong | b)//text()")).split())
    return text if text == bold else ""


def _signature(tree: HtmlElement) -> str | None:
    paragraphs = tree.xpath(_SIGNATURE_XPATH)
    if not paragraphs:
        return None
    text = _bold_text(paragraphs[-1])
    return text if text and len(text) <= MAX_SIGNATURE_CHARS else None


# XPath's white space (normalize-space): space, tab, CR and LF, not the other Unicode spaces.
_XPATH_SPACE = " \t\r\n"
_XPATH_SPACES = re.compile(r"[ \t\r\n]+")


def _normalized(text: str) -> str:
    """XPath's ``normalize-space``, which the readers here were first written with."""
    return _XPATH_SPACES.sub(" ", text).strip(_XPATH_SPACE)


def _first_text(element: HtmlElement) -> str:
    """The element's first text node (XPath ``text()[1]``): its own text, else a child's tail (the parser
    joins adjacent text, so each is one node)."""
    if element.text is not None:
        return element.text
    return next((child.tail for child in element if child.tail is not None), "")


# A line under the headline that starts with a byline word ("By TPN, in News · 31 Jan 2025"), in an
# element without byline markup: the first p, div or span after the headline whose first text node
# opens with the word, read up to the first comma, "·", "|" or " in ".
_BY_LINE_TAGS = ("p", "div", "span")
# The byline word(s) the line opens with; "Posted by Jane" is a blog theme's byline (Kubrick and its heirs).
_BY_LINE_WORDS = ("Posted by", "Written by", "By", "Von", "Par", "Por", "Door", "Av", "Di")
_BY_LINE_START = re.compile(rf"^(?:{'|'.join(_BY_LINE_WORDS)}) ")
_BY_LINE_INITIALS = frozenset(word[0] for word in _BY_LINE_WORDS)  # a cheap test first: most texts fail it
_BY_LINE_END = re.compile(r"\s*(?:,|·|\||\s+in\s+|\s+on\s+|\s+am\s+|$)")
# A by-line names at most this many words, each capitalised ("Par ailleurs, ..." opens a sentence).
MAX_BY_LINE_WORDS = 4


def _opens_by_line(text: str) -> bool:
    return text[:1] in _BY_LINE_INITIALS and _BY_LINE_START.match(_normalized(text)) is not None


def by_line(near: NearHeadline) -> str | None:
    """The first "By Name" line after the headline, read only when no other source credits anyone; the name
    may follow a byline word that stands alone in its element (BY_WORD_ALONE)."""
    for element in near.elements_after(*_BY_LINE_TAGS):
        first = _first_text(element).lstrip(_XPATH_SPACE)
        if _opens_by_line(first):
            text = " ".join((element.text or "").split())
            start = _BY_LINE_START.match(text)
            if start is None:
                return None
            name = " ".join(_BY_LINE_END.split(text[start.end() :], maxsplit=1)[0].split())
            return name if _name_like(name) else None
        alone = element.text if BY_WORD_ALONE and len(element) == 0 else None
        if alone and len(alone) <= MAX_BY_WORD_CHARS and _normalized(alone) in _BY_LINE_WORDS:
            after = element.getnext()
            rest = element.tail if (element.tail or "").strip() else ""
            if not rest and after is not None:
                rest = after.text_content()
            name = " ".join(_BY_LINE_END.split(_normalized(rest), maxsplit=1)[0].split())
            return name if _name_like(name) else None
    return None


# An element holding only a byline word (with the white space around it) is this short.
MAX_BY_WORD_CHARS = 40
BY_WORD_ALONE = True
"""A byline word alone in its element, the name in the next one ('<span>By</span><span><a href=...>Jane
Doe</a></span>'): templates style the word apart from the name (docs/extraction-log.md, "Session 13:
metadata")."""


# Credits in markup that is no byline element (no byline class, rel or itemprop), read only when no
# source names a person (the page's machine-readable credit is the outlet alone, or nothing); each is a
# convention of many sites: a person's name shown without byline markup.
# A paragraph this long (white space collapsed) is the article's text; the credit sits between the
# headline and it.
MIN_TEXT_PARAGRAPH_CHARS = 150
# A link to an author page between the headline and the text ('von <a href="/autoren/name/max-kolter">
# Dr. Max Kolter</a>'; WordPress's "/author/<slug>/"): _AUTHOR_PAGE_HREF's forms, in an address holding
# "/au" (any case of a and u), "forfatter" or "journalist" (lower case).
_AU_LOWERED = str.maketrans("AU", "au")
# The text's first paragraphs after the headline (with text): one of them wholly in bold, naming people,
# is the credit ("<p><strong>Jane Doe/John Roe</strong></p>" opening the text, usual on southern African
# and Asian news sites); three, since a standfirst of one or two short lines may come first.
LEAD_PARAGRAPHS = 3
# A label alone in its element, the name after it ("<strong>Autorin/Autor</strong> Roman Goncharenko",
# "<dt>Author:</dt><dd>Jane Doe</dd>"), anywhere on the page (fact boxes sit beside the text); one
# person's label, not a link ("Authors" in a menu).
# A name ending in a separator, in the element just before one that starts with a date ('<span>Jane
# Doe &nbsp;|</span><span class="tarih">05.04.2025</span>'): a byline row without byline classes. The
# separator is required: without it, headings over dated link lists ("Neueste Beiträge", "Verwandte
# Themen") were taken on corpus pages and the guard lost a page (docs/extraction-log.md, session 9).
_NAME_BEFORE_DATE = re.compile(r"(.+?)\s*[|·•]")
_LEADING_DATE = re.compile(r"\d{1,2}[./]\d{1,2}[./]\d{2,4}|\d{4}-\d\d-\d\d")
DATE_CHILD_ENDS_NAME_ROW = True
"""The "Name |" row's date may be its own first child, and written with a month name ('<small>Jane Doe |
<span>May 10, 2022 01:52 PM</span></small>'), as well as a numeric date in the next element
(docs/extraction-log.md, "Session 13: metadata")."""
# A date written with a month name is read from this many characters at the start of the element.
MONTH_DATE_CHARS = 40


def _starts_with_date(text: str) -> bool:
    if _LEADING_DATE.match(text):
        return True
    days = written_days(text[:MONTH_DATE_CHARS], month_first=False) if DATE_CHILD_ENDS_NAME_ROW else []
    return bool(days) and days[0][0] == 0


# Such a row's own text is at most this long (a name of four words and the separator).
MAX_NAME_BEFORE_DATE_CHARS = 50
_CREDIT_LABEL = re.compile(
    r"(?:autor(?:in)?(?:/autor(?:in)?)?|author|auteur|autore|autora|forfatter|text|texto)\s*:?", re.IGNORECASE
)
# A label is this short; longer texts are not tried (the walk tests each element's own text in Python,
# ~0.7 ms a page on the pages that reach it: an XPath over text nodes cost 1.7, see docs/extraction-log.md).
MAX_LABEL_CHARS = 24
# The closing credit line of Chinese news pages: "(责编：牛镛、岳弘彬)", "【责任编辑：张三】" (responsible
# editor), the only credit these pages show; names are separated by "、", "，" or spaces.
_HAN = re.compile(r"[\u4e00-\u9fff]")  # looked for only on pages whose <title> is in Chinese script
_EDITOR_LINE_XPATH = "//text()[contains(., '责编') or contains(., '责任编辑')]"
_EDITOR_LINE = re.compile(r"(?:责任编辑|责编)\s*[：:]\s*([^）)】\]]{1,40})")
_EDITOR_NAME_SEPARATOR = re.compile(r"\s*[、，,\s]\s*")
# A name word this short ("Dr", "Li") is not looked for in an author page's address.
MIN_SLUG_WORD_CHARS = 3


def _name_like(text: str) -> bool:
    """A name as a by-line or a credit shows it: at most MAX_BY_LINE_WORDS words, each capitalised."""
    words = text.split()
    return 0 < len(words) <= MAX_BY_LINE_WORDS and all(w[0].isupper() for w in words)


def _named_in(text: str, href: str) -> bool:
    """An author page's address is made from the name ("/autoren/name/max-kolter" for "Dr. Max Kolter"):
    a link text sharing no word with it is a label ("More Posts", "Alles von ...")."""
    path = name_key(urlsplit(href).path)
    return any(len(key) >= MIN_SLUG_WORD_CHARS and key in path for w in text.split() for key in name_keys(w))


def _same_site(href: str, url: str) -> bool:
    """A relative link, or one to the page's own host (an author page elsewhere is a book's or a quote's)."""
    return urlsplit(href).hostname is None or source_domain(href) == source_domain(url)


def _author_page(href: str) -> bool:
    """The address is an author page's (the filter before the pattern is part of the rule: an upper-case
    "Journalist" in the address is none)."""
    return ("/au" in href.translate(_AU_LOWERED) or "forfatter" in href or "journalist" in href) and (
        _AUTHOR_PAGE_HREF.search(href) is not None
    )


def _text_paragraph(element: HtmlElement) -> bool:
    """A paragraph of the article's text (MIN_TEXT_PARAGRAPH_CHARS)."""
    return element.tag == "p" and len(_normalized(element.text_content())) > MIN_TEXT_PARAGRAPH_CHARS


def credit_lines(tree: HtmlElement, near: NearHeadline, url: str, title: str) -> list[str]:
    """Credits from markup that is not read as a byline (see above), in the order tried: an author-page
    link, an "Author:" label and the name after it, a Chinese editor line, a bold paragraph of names
    opening the text, a "Name |" row before a date (the link and the paragraph are looked for after
    the headline only; without a headline, no row is read either)."""
    found: list[str] = []
    for element in near.elements_after("a", "p"):
        if _text_paragraph(element):
            break  # the text has begun: a later author link is a teaser's or a sidebar's
        href = element.get("href") if element.tag == "a" else None
        if href is None or not _author_page(href):
            continue
        text = " ".join(element.text_content().split())
        if _same_site(href, url) and _name_like(text) and _named_in(text, href):
            found.append(text)
            break
    before_date: str | None = None  # tried last (below), found in the same walk as the label
    labelled = False
    for label in tree.iter():
        own = label.text
        if not own or label.tag == "a":
            continue
        if len(own) > MAX_NAME_BEFORE_DATE_CHARS:
            own = own.strip()  # template indentation around a short text ("Jane Doe  |\n      ")
            if len(own) > MAX_NAME_BEFORE_DATE_CHARS:
                continue
        own = own.strip()
        after = label.getnext()
        # the date in the next element, or in the row's own first child ("Name | <span>May 10, 2022</span>")
        dated = label[0] if DATE_CHILD_ENDS_NAME_ROW and len(label) and label[0].tag != "a" else after
        named = _NAME_BEFORE_DATE.fullmatch(own) if before_date is None and dated is not None else None
        if named and _name_like(named[1]) and _starts_with_date(dated.text_content().strip()):
            before_date = named[1]
        if labelled or len(own) > MAX_LABEL_CHARS or not _CREDIT_LABEL.fullmatch(own):
            continue
        text = " ".join((label.tail or "").split()).strip(" :") or (
            " ".join(after.text_content().split()) if after is not None else ""
        )
        if _name_like(text):
            found.append(text)
            labelled = True
            if before_date is not None:
                break
    for node in tree.xpath(_EDITOR_LINE_XPATH) if _HAN.search(title) else ():
        line = _EDITOR_LINE.search(node)
        if line:
            found.append("; ".join(_EDITOR_NAME_SEPARATOR.split(line[1].strip())))
            break
    if near.headline is None:  # no bold lead paragraph to look for; a "Name |" row needs no headline
        return [*found, before_date] if before_date else found
    paragraphs = (p for p in near.elements_after("p") if p.text_content().strip(_XPATH_SPACE))
    for paragraph in islice(paragraphs, LEAD_PARAGRAPHS):
        text = _bold_text(paragraph)
        names = [name.strip() for name in text.split("/")]  # "Jane Doe/John Roe": a slash joins names here
        if text and all(_name_like(name) for name in names):
            found.append("; ".join(names))
            break
    if before_date:
        found.append(before_date)
    return found
