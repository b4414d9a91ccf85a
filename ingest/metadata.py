"""Title, authors and dates of an article from every source the page offers, chosen by stated rules.

Sources: the JSON-LD article node (``ingest/jsonld.py``), OpenGraph/Twitter/Dublin Core/parse.ly
meta tags, the first ``<h1>`` of the article, ``<title>``, ``<time>`` elements, and trafilatura's
own answers (its byline heuristics and htmldate) as the last fallback. Rules (docs/extraction.md):

- title: each candidate loses site-name and date segments ("Headline | Site", "Site - Headline");
  the first present in TITLE_SOURCES order wins, except that a shorter og:title beats the JSON-LD
  headline (SHORTER_SOCIAL_TITLE_WINS) when it shares most of its words (MIN_SHARED_SOCIAL_WORDS).
- authors (``ingest/authors.py``): the first source that names anyone, cleaned into a list of names;
  the visible byline's stacked author list may add co-authors (``_dom_bylines`` groups them).
- published / modified: the first source in DATE_SOURCES order that holds a readable date; never
  the fetch time. The published date is then checked against the dates written around the headline
  (``ingest/date_line.py``: the shown day wins where the metadata's is not shown).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from urllib.parse import urlsplit

from lxml.html import HtmlElement

from ingest.authors import Byline, clean_authors, name_key
from ingest.date_line import dates_near, month_first, publication_date
from ingest.identity import source_domain
from ingest.jsonld import LinkedData, read_linked_data

TITLE_SOURCES = ("jsonld", "og", "twitter", "h1", "title")
"""Title sources in order of trust; the first that is present (after cleaning) wins. Measured on
newsbench (docs/extraction.md): the JSON-LD headline first, then OpenGraph, is right most often;
a vote between sources (tried) was right less often, since SEO and social variants are copied
into several tags. <title> comes last: it most often carries site and section names."""

SHORTER_SOCIAL_TITLE_WINS = True
"""When the JSON-LD headline and og:title differ, the shorter is taken. The longer one is the search
variant (keywords added: "... in battling win over Tottenham", "... if you have the rare buck"); the
og:title is written for link previews, where space is short, and is the one readers see when the
article is shared. Measured on newsbench split by publisher (docs/extraction.md): +3 pages on the
half the rule was found on, +1 on the other; losses are og:titles cut mid-sentence."""

MIN_SHARED_SOCIAL_WORDS = 0.5
"""The shorter og:title wins (SHORTER_SOCIAL_TITLE_WINS) only when at least this share of its words
are words of the JSON-LD headline: it is then the same headline with search keywords left out. An
og:title in other words altogether is a social teaser line ("Palestinians say ..." for "What's next
for Gaza ...") or a stale value left from an earlier version of the story, and the headline stays.
Half of the words: on newsbench the og:titles that are the reference share 0.7-1.0 of their words
with the headline, the wholly different ones 0.1-0.2 (docs/extraction.md, session 8)."""

_WORD = re.compile(r"\w+")


def _shared_words(shorter: str, longer: str) -> float:
    """The share of ``shorter``'s distinct words (case-folded) that ``longer`` also has."""
    words = {w.casefold() for w in _WORD.findall(shorter)}
    return len(words & {w.casefold() for w in _WORD.findall(longer)}) / len(words) if words else 0.0


# Separators between a headline and a site name or section ("Headline | Site", "Site – Headline").
_TITLE_SEPARATOR = re.compile(r"\s+[|\-–—·•*:]{1,2}\s+|\s*[｜：ㅣ]\s*|\s+\|\s*")
_DATE_SEGMENT = re.compile(r"^\d{1,4}[./-]\d{1,2}[./-]\d{1,4}$")
# A title cut to another source's title must keep at least this many characters (a headline, not a word).
MIN_AGREEING_TITLE_CHARS = 12
# A title segment of at most this many words may be a site or section name; longer ones are headline.
MAX_SITE_SEGMENT_WORDS = 6

_PUBLISHED_META = (
    "article:published_time", "og:article:published_time", "og:published_time", "datePublished",
    "publishdate", "pubdate", "publish-date", "date", "dc.date", "dc.date.issued", "dcterms.created",
    "sailthru.date", "parsely-pub-date", "article.published", "published_time",
    "cxenseparse:recs:publishtime",
)  # fmt: skip
_MODIFIED_META = (
    "article:modified_time", "og:updated_time", "dateModified", "last-modified", "dcterms.modified",
    "article.updated", "modified_time", "lastmod",
)  # fmt: skip
_AUTHOR_META = (
    "author",
    "article:author",
    "parsely-author",
    "sailthru.author",
    "dc.creator",
    "byl",
    "articleauthor",
)


@dataclass(frozen=True)
class PageMetadata:
    title: str | None
    title_candidates: tuple[str, ...]  # every source's title, site names stripped (the chosen one first)
    authors: tuple[str, ...]
    published_at: datetime | None
    modified_at: datetime | None
    article_type: str | None  # JSON-LD type of the article node, when the page declares one
    page_types: frozenset[str]  # every JSON-LD @type and og:type of the page


@dataclass(frozen=True)
class _Marks:
    """The page's meta tags, scripts, <title>, <time> dates and headline element, from one walk over the
    tree (each was an XPath lookup of its own, each walking the whole page: ~0.65 -> ~0.2 ms a page)."""

    metas: list[HtmlElement]  # //meta[@content]
    scripts: list[HtmlElement]  # //script
    title: str  # string(//head/title)
    time_published: str  # string((//time[@itemprop="datePublished"] | //time[@pubdate])[1]/@datetime)
    time_modified: str  # string((//time[@itemprop="dateModified"])[1]/@datetime)
    h1: HtmlElement | None  # (//article//h1 | //main//h1)[1], else the first //body//h1


def _marks(tree: HtmlElement) -> _Marks:
    metas: list[HtmlElement] = []
    scripts: list[HtmlElement] = []
    title = published = modified = None
    h1_scoped = h1_body = None
    for element in tree.getroottree().getroot().iter("meta", "script", "title", "time", "h1"):
        tag = element.tag
        if tag == "meta":
            if element.get("content") is not None:
                metas.append(element)
        elif tag == "script":
            scripts.append(element)
        elif tag == "title":
            parent = element.getparent()
            if title is None and parent is not None and parent.tag == "head":
                title = element.text_content()
        elif tag == "time":
            itemprop = element.get("itemprop")
            if published is None and (itemprop == "datePublished" or "pubdate" in element.attrib):
                published = element.get("datetime", "")
            if modified is None and itemprop == "dateModified":
                modified = element.get("datetime", "")
        elif h1_scoped is None:
            above = {ancestor.tag for ancestor in element.iterancestors()}
            if "article" in above or "main" in above:
                h1_scoped = element
            elif h1_body is None and "body" in above:
                h1_body = element
    h1 = h1_scoped if h1_scoped is not None else h1_body
    return _Marks(metas, scripts, title or "", published or "", modified or "", h1)


def _meta(metas: list[HtmlElement]) -> dict[str, str]:
    """Meta tags by lower-cased name/property/itemprop; the first occurrence wins."""
    found: dict[str, str] = {}
    for node in metas:
        key = node.get("property") or node.get("name") or node.get("itemprop")
        content = " ".join(node.get("content", "").split())
        if key and content:
            key = key.lower().removeprefix("http://ogp.me/ns/article#")
            found.setdefault(key, content)
    return found


def _site_keys(url: str, meta: dict[str, str], linked: LinkedData, titles: dict[str, str | None]) -> set[str]:
    """Lower-cased alphanumeric forms that name the site: its host labels, og:site_name, publisher, and
    the ``<title>``'s tail after the h1 (``title_tail_key``)."""
    host = source_domain(url)
    keys = {name_key(label) for label in host.split(".")[:-1] if len(name_key(label)) >= MIN_SITE_KEY_CHARS}
    keys.add(name_key(host))
    for name in (meta.get("og:site_name"), meta.get("application-name"), linked.publisher):
        if name:
            keys.add(name_key(name))
    for value in (meta.get(name) for name in _AUTHOR_META):
        named = _NAME_WITH_ADDRESS.match(value or "")
        if named and name_key(named[2].removeprefix("www.")) == name_key(host):
            keys.add(name_key(named[1]))  # "Deutsche Welle (www.dw.com)" on dw.com: the outlet signs
    keys.add(title_tail_key(titles["title"], titles["h1"]) or "")
    return {k for k in keys if k}


def title_tail_key(page_title: str | None, h1: str | None) -> str | None:
    """The site's name from the page's ``<title>`` when it is the visible headline plus a tail:
    "Headline | Metro - Metro" over the h1 "Headline | Metro" names "metro" (the tail's last segment, as
    short as a site or section name), which then strips the same name from the other title sources."""
    if not (SITE_NAME_FROM_TITLE_TAIL and page_title and h1) or not page_title.startswith(h1):
        return None
    separator = _TITLE_SEPARATOR.match(page_title, len(h1))
    if separator is None or ":" in separator[0]:
        return None  # "Headline: subtitle" goes on with the headline, not a site name
    last = _TITLE_SEPARATOR.split(page_title[separator.end() :])[-1]
    if not 0 < len(last.split()) <= MAX_SITE_SEGMENT_WORDS or _DATE_SEGMENT.match(last.strip()):
        return None
    return name_key(last) or None


SITE_NAME_FROM_TITLE_TAIL = True
"""Pages without og:site_name or a publisher, on a host that does not spell the name (an IP address, an
abbreviation), still end their ``<title>`` with the site's name after the headline."""


# A credit followed by an address in brackets, "Deutsche Welle (www.dw.com)": when the address is the
# page's own host, the name is the site's (a credit of the outlet, not a person).
_NAME_WITH_ADDRESS = re.compile(r"^\s*([^()]+?)\s*\((?:https?://)?([\w.-]+\.[a-z]{2,})/?\)\s*$", re.I)


# Host labels this short ("dw", "n-tv" -> "ntv") name the site only when a segment equals them;
# longer keys also match inside a segment ("Tages-Anzeiger" in "tagesanzeiger.ch").
MIN_SITE_KEY_CHARS = 2
SHORT_SITE_KEY_CHARS = 3


def _keys(text: str) -> set[str]:
    """The key, and the key with accents dropped ("Zürich" -> "zuerich", "zurich")."""
    plain = "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch))
    return {name_key(text), "".join(ch for ch in plain.casefold() if ch.isalnum())}


def _matches_site(key: str, site_keys: set[str]) -> bool:
    n = SHORT_SITE_KEY_CHARS
    return any(k == key or (len(k) > n and k in key) or (len(key) > n and key in k) for k in site_keys)


def _names_site(segment: str, site_keys: set[str]) -> bool:
    if not name_key(segment) or _DATE_SEGMENT.match(segment.strip()):
        return True
    if len(segment.split()) > MAX_SITE_SEGMENT_WORDS:
        return False
    if any(_matches_site(key, site_keys) for key in _keys(segment)):
        return True
    words = segment.split()
    return len(words) <= MAX_BRAND_SEGMENT_WORDS and name_key(words[0]) in site_keys


# A short segment opening with the site's name is the brand with a qualifier ("CBC News" on cbc.ca,
# "DW Español", "BR24 Nachrichten"); this many words at most, so that a headline naming the outlet
# ("BBC chief resigns over ...") is not taken for it.
MAX_BRAND_SEGMENT_WORDS = 3


def strip_site_name(title: str, site_keys: set[str]) -> str:
    """ "Headline | Site", "Site – Headline", "Headline - Section | Site | 28.04.2023" -> "Headline"."""
    parts = _TITLE_SEPARATOR.split(title)
    separators = _TITLE_SEPARATOR.findall(title)
    while len(parts) > 1 and _names_site(parts[-1], site_keys):
        parts.pop()
        separators.pop()
    while len(parts) > 1 and _names_site(parts[0], site_keys):
        parts.pop(0)
        separators.pop(0)
    rebuilt = parts[0]
    for separator, part in zip(separators, parts[1:], strict=True):
        rebuilt += separator + part
    return rebuilt.strip()


# Visible byline elements: rel=author links, itemprop=author, and elements whose class names a byline
# or an author ("byline", "article__author", "author-name"); the innermost ones, in page order.
# Spanish, Portuguese, German and Polish templates name the class "autor" ("node-autor_name", "autor-name"),
# which the English "author" does not contain (docs/extraction.md, "Session 9: authors on small sites").
_BYLINE_TEST = (
    '@rel="author" or @itemprop="author" or contains(@class, "byline") or contains(@class, "author")'
    ' or contains(@class, "autor")'
)
_NOT_BYLINE_TAGS = frozenset({"meta", "link", "script", "style", "body", "html"})
# The same elements as //*[_BYLINE_TEST] (a union is returned in document order), found from their
# attributes: libxml2 then tests only the class/rel/itemprop attributes instead of every element's
# (0.78 -> 0.40 ms a page on the corpus).
_BYLINE_XPATH = (
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


def _dom_bylines(tree: HtmlElement, elements: list[HtmlElement]) -> list[Byline]:
    """The page's visible byline elements (innermost, in page order, short only), grouped by container;
    ``elements`` is the page's _BYLINE_XPATH result (shared with _comment_authors: one lookup a page)."""
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


def _comment_authors(elements: list[HtmlElement]) -> list[str]:
    """The texts of the first byline elements (of the page's _BYLINE_XPATH result) inside the comments."""
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


def _signature(tree: HtmlElement) -> str | None:
    paragraphs = tree.xpath(_SIGNATURE_XPATH)
    if not paragraphs:
        return None
    text = " ".join(paragraphs[-1].text_content().split())
    bold = " ".join(" ".join(paragraphs[-1].xpath("(strong | b)//text()")).split())
    return text if text and text == bold and len(text) <= MAX_SIGNATURE_CHARS else None


# A line under the headline that starts with a byline word ("By TPN, in News · 31 Jan 2025"), in an
# element without byline markup: its own first text, up to the first comma, "·", "|" or " in ".
_BY_LINE_XPATH = (
    "following::*[self::p or self::div or self::span]"
    "[re:test(normalize-space(text()[1]), '^((Posted|Written) by|By|Von|Par|Por|Door|Av|Di) ')][1]"
)
# The byline word(s) the line opens with; "Posted by Jane" is a blog theme's byline (Kubrick and its heirs).
_BY_LINE_START = re.compile(r"^(?:(?:Posted|Written) by|By|Von|Par|Por|Door|Av|Di) ")
_BY_LINE_END = re.compile(r"\s*(?:,|·|\||\s+in\s+|\s+on\s+|\s+am\s+|$)")
# A by-line names at most this many words, each capitalised ("Par ailleurs, ..." opens a sentence).
MAX_BY_LINE_WORDS = 4


def _by_line(tree: HtmlElement, h1: HtmlElement | None) -> str | None:
    """The first "By Name" line after the headline, read only when no other source credits anyone."""
    if h1 is None:
        return None
    found = h1.xpath(_BY_LINE_XPATH, namespaces={"re": "http://exslt.org/regular-expressions"})
    if not found:
        return None
    text = " ".join((found[0].text or "").split())
    start = _BY_LINE_START.match(text)
    if start is None:
        return None
    words = _BY_LINE_END.split(text[start.end() :], maxsplit=1)[0].split()
    name = " ".join(words)
    return name if _name_like(name) else None


# Credits in markup that is no byline element (no byline class, rel or itemprop), read only when no
# source names a person (the page's machine-readable credit is the outlet alone, or nothing); each is a
# convention of many sites: a person's name shown without byline markup.
_RE_NS = {"re": "http://exslt.org/regular-expressions"}
# A paragraph this long is the article's text; the credit sits between the headline and it.
MIN_TEXT_PARAGRAPH_CHARS = 150
# A link to an author page between the headline and the text ('von <a href="/autoren/name/max-kolter">
# Dr. Max Kolter</a>'; WordPress's "/author/<slug>/"); the same author-page forms as _AUTHOR_PAGE_HREF.
_AUTHOR_LINK_XPATH = (
    "following::*[self::a[contains(translate(@href, 'AU', 'au'), '/au') or contains(@href, 'forfatter')"
    " or contains(@href, 'journalist')][re:test(@href,"
    " '/(authors?|autor(en|in)?|auteurs?|autores?|forfatter|journalist(en)?)/', 'i')]"
    f" or self::p[string-length(normalize-space(.)) > {MIN_TEXT_PARAGRAPH_CHARS}]]"
)
# The text's first paragraphs after the headline: one of them wholly in bold, naming people, is the
# credit ("<p><strong>Jane Doe/John Roe</strong></p>" opening the text, usual on southern African and
# Asian news sites); three, since a standfirst of one or two short lines may come first.
_LEAD_PARAGRAPHS_XPATH = "following::p[normalize-space()][position() <= 3]"
# A label alone in its element, the name after it ("<strong>Autorin/Autor</strong> Roman Goncharenko",
# "<dt>Author:</dt><dd>Jane Doe</dd>"), anywhere on the page (fact boxes sit beside the text); one
# person's label, not a link ("Authors" in a menu).
# A name ending in a separator, in the element just before one that starts with a date ('<span>Jane
# Doe &nbsp;|</span><span class="tarih">05.04.2025</span>'): a byline row without byline classes. The
# separator is required: without it, headings over dated link lists ("Neueste Beiträge", "Verwandte
# Themen") were taken on corpus pages and the guard lost a page (docs/extraction.md, session 9).
_NAME_BEFORE_DATE = re.compile(r"(.+?)\s*[|·•]")
_LEADING_DATE = re.compile(r"\d{1,2}[./]\d{1,2}[./]\d{2,4}|\d{4}-\d\d-\d\d")
# Such a row's own text is at most this long (a name of four words and the separator).
MAX_NAME_BEFORE_DATE_CHARS = 50
_CREDIT_LABEL = re.compile(
    r"(?:autor(?:in)?(?:/autor(?:in)?)?|author|auteur|autore|autora|forfatter|text|texto)\s*:?", re.IGNORECASE
)
# A label is this short; longer texts are not tried (the walk tests each element's own text in Python,
# ~0.7 ms a page on the pages that reach it: an XPath over text nodes cost 1.7, see docs/extraction.md).
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
    return any(len(key) >= MIN_SLUG_WORD_CHARS and key in path for w in text.split() for key in _keys(w))


def _same_site(href: str, url: str) -> bool:
    """A relative link, or one to the page's own host (an author page elsewhere is a book's or a quote's)."""
    return urlsplit(href).hostname is None or source_domain(href) == source_domain(url)


def _credit_lines(tree: HtmlElement, h1: HtmlElement | None, url: str, title: str) -> list[str]:
    """Credits from markup that is not read as a byline (see above), in the order tried: an author-page
    link, an "Author:" label and the name after it, a Chinese editor line, a bold paragraph of names
    opening the text, a "Name |" row before a date (the link and the paragraph are looked for after
    the headline only)."""
    found: list[str] = []
    for link in h1.xpath(_AUTHOR_LINK_XPATH, namespaces=_RE_NS) if h1 is not None else ():
        if link.tag != "a":
            break  # the text has begun: a later author link is a teaser's or a sidebar's
        href, text = link.get("href", ""), " ".join(link.text_content().split())
        if _same_site(href, url) and _name_like(text) and _named_in(text, href):
            found.append(text)
            break
    before_date: str | None = None  # tried last (below), found in the same walk as the label
    labelled = False
    for label in tree.iter():
        own = label.text
        if not own or len(own) > MAX_NAME_BEFORE_DATE_CHARS or label.tag == "a":
            continue
        own = own.strip()
        after = label.getnext()
        named = _NAME_BEFORE_DATE.fullmatch(own) if before_date is None and after is not None else None
        if named and _name_like(named[1]) and _LEADING_DATE.match(after.text_content().strip()):
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
    if h1 is None:
        return found
    for paragraph in h1.xpath(_LEAD_PARAGRAPHS_XPATH):
        text = " ".join(paragraph.text_content().split())
        bold = " ".join(" ".join(paragraph.xpath("(strong | b)//text()")).split())
        names = [name.strip() for name in text.split("/")]  # "Jane Doe/John Roe": a slash joins names here
        if text and text == bold and all(_name_like(name) for name in names):
            found.append("; ".join(names))
            break
    if before_date:
        found.append(before_date)
    return found


def _h1(node: HtmlElement | None) -> str | None:
    text = " ".join(" ".join(node.itertext()).split()) if node is not None else ""
    return text or None


LONGER_H1_WINS_OVER_CUT_TITLE = True
"""A long metadata title cut short (a JSON-LD headline or og:title clipped at a length limit, mid-sentence)
is the start of the h1, which goes on with more words of the same sentence: the h1 is the headline.
An h1 going on after a separator or punctuation (": subtitle", " - Site") is not read as one. Only
from MIN_CUT_TITLE_CHARS on: a shorter metadata title that the h1 extends is an edited short headline,
which newsbench's references keep ("... Klare Ansage" where the h1 adds "von Profis"; session 9)."""
# Length limits of CMS and SEO plugins for headline fields start at ~100 characters (Google's former
# 110-character headline limit); below that a metadata title the h1 extends was shortened by an editor.
MIN_CUT_TITLE_CHARS = 100
# A title goes on in the same sentence when the h1's next character is a space or a letter/digit, and the
# word after it is no separator.
_CUT_CONTINUES = re.compile(r"\s*\w")


def _page_headline(chosen: str, h1: str | None) -> str:
    """The h1 instead of a long metadata title that is cut short of it."""
    if not h1 or h1 == chosen:
        return chosen
    cut = (
        LONGER_H1_WINS_OVER_CUT_TITLE
        and MIN_CUT_TITLE_CHARS <= len(chosen) < len(h1)
        and h1.startswith(chosen)
    )
    if cut and chosen[-1].isalnum() and _CUT_CONTINUES.match(h1, len(chosen)):
        return h1
    return chosen


def choose_title(candidates: dict[str, str | None], site_keys: set[str]) -> str | None:
    """The first source in TITLE_SOURCES order that holds a title once site names are stripped.

    The shorter of the JSON-LD headline and og:title wins (SHORTER_SOCIAL_TITLE_WINS) when it is the
    same headline trimmed, sharing most of its words (MIN_SHARED_SOCIAL_WORDS).
    Agreement cuts a tail: when another source's title is the chosen one up to a separator
    ("Headline | Sport" where og:title says "Headline"), the tail is a section or site name the
    other source did not carry, and the shorter title wins.
    """
    cleaned = {s: strip_site_name(v, site_keys) for s in TITLE_SOURCES if (v := candidates.get(s))}
    chosen = next((cleaned[s] for s in TITLE_SOURCES if cleaned.get(s)), None)
    if chosen is None:
        return None
    social = cleaned.get("og") or ""
    if (
        SHORTER_SOCIAL_TITLE_WINS
        and chosen == cleaned.get("jsonld")
        and MIN_AGREEING_TITLE_CHARS <= len(social) < len(chosen)
        and _shared_words(social, chosen) >= MIN_SHARED_SOCIAL_WORDS
    ):
        chosen = social
    for other in cleaned.values():
        shorter = MIN_AGREEING_TITLE_CHARS <= len(other) < len(chosen)
        if shorter and chosen.startswith(other) and _TITLE_SEPARATOR.match(chosen, len(other)):
            return other
    return _page_headline(chosen, cleaned.get("h1"))


def parse_date(value: str | None) -> datetime | None:
    """ISO 8601 as pages write it ("2024-05-03T15:47:42.389Z", "2024-05-03 15:47:42+0200", "2024-05-03")."""
    if not value:
        return None
    text = (
        value.strip().replace(" ", "T", 1)
        if re.match(r"\d{4}-\d\d-\d\d \d", value.strip())
        else value.strip()
    )
    text = re.sub(r"([+-]\d\d)(\d\d)$", r"\1:\2", text)
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        return None


def _first_date(values: list[str | None]) -> datetime | None:
    return next((parsed for value in values if (parsed := parse_date(value)) is not None), None)


def _dates(values: list[str | None]) -> list[datetime]:
    """Every readable date of the values, in their order."""
    return [parsed for value in values if (parsed := parse_date(value)) is not None]


def read_metadata(
    tree: HtmlElement,
    url: str,
    fallback_author: Callable[[], str | None],
    fallback_date: Callable[[], str | None],
) -> PageMetadata:
    """Every metadata source of the page, reduced to one value each by the rules in the module doc;
    trafilatura's author and date guesses (the fallbacks) are asked for only when they are needed."""
    marks = _marks(tree)
    linked = read_linked_data(tree, marks.scripts)
    meta = _meta(marks.metas)
    titles = {
        "h1": _h1(marks.h1),
        "jsonld": linked.headline,
        "og": meta.get("og:title"),
        "twitter": meta.get("twitter:title"),
        "title": " ".join(marks.title.split()) or None,
    }
    site_keys = _site_keys(url, meta, linked, titles)
    time_published, time_modified = marks.time_published, marks.time_modified
    meta_authors = [meta[name] for name in _AUTHOR_META if name in meta]
    og_type = meta.get("og:type")
    cleaned = [strip_site_name(value, site_keys) for value in titles.values() if value]
    modified_at = _first_date(
        [linked.modified, *(meta.get(n.lower()) for n in _MODIFIED_META), time_modified]
    )
    title = choose_title(titles, site_keys)
    byline_elements = cache(lambda: tree.xpath(_BYLINE_XPATH))
    return PageMetadata(
        title=title,
        title_candidates=tuple(t for t in (title, *cleaned) if t),
        authors=clean_authors(
            linked.authors,
            meta_authors,
            fallback_author,
            site_keys,
            lambda: _dom_bylines(tree, byline_elements()),
            lambda: _by_line(tree, marks.h1),
            lambda: _credit_lines(tree, marks.h1, url, marks.title),
            lambda: _comment_authors(byline_elements()),
        ),
        published_at=publication_date(
            _dates([linked.published, *(meta.get(n.lower()) for n in _PUBLISHED_META), time_published]),
            lambda: dates_near(
                marks.h1, month_first(tree.getroottree().getroot().get("lang"), meta.get("og:locale"))
            ),
            lambda: parse_date(fallback_date()),
            modified_at,
        ),
        modified_at=modified_at,
        article_type=linked.article_type,
        page_types=linked.page_types | ({og_type} if og_type else set()),
    )
