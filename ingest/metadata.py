"""Title, authors and dates of an article from every source the page offers, chosen by stated rules.

Sources: the JSON-LD article node (``ingest/jsonld.py``), OpenGraph/Twitter/Dublin Core/parse.ly
meta tags, the first ``<h1>`` of the article, ``<title>``, ``<time>`` elements, and trafilatura's
own answers (its byline heuristics and htmldate) as the last fallback. Rules (docs/extraction.md):

- title: each candidate loses site-name and date segments ("Headline | Site", "Site - Headline");
  the first present in TITLE_SOURCES order wins, except that a shorter og:title beats the JSON-LD
  headline (SHORTER_SOCIAL_TITLE_WINS) when it shares most of its words (MIN_SHARED_SOCIAL_WORDS).
- authors (``ingest/authors.py``): the first source that names anyone, cleaned into a list of names;
  the visible byline's stacked author list may add co-authors; the credits shown in the page's markup
  are read by ``ingest/bylines.py``.
- published / modified: the first source in DATE_SOURCES order that holds a readable date; never
  the fetch time. The published date is then checked against the dates written around the headline
  (``ingest/date_line.py``: the shown day wins where the metadata's is not shown). The by-line, the
  credits and the date line read what follows the headline from one walk (``ingest/near_headline.py``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from functools import cache

from lxml.html import HtmlElement

from ingest.authors import clean_authors, name_key, name_keys
from ingest.bylines import BYLINE_XPATH, by_line, comment_authors, credit_lines, dom_bylines
from ingest.date_line import dates_near, month_first, publication_date
from ingest.identity import source_domain
from ingest.jsonld import LinkedData, read_linked_data
from ingest.near_headline import NearHeadline

TITLE_SOURCES = ("jsonld", "og", "twitter", "h1", "title")
"""Title sources in order of trust; the first that is present (after cleaning) wins. Measured on
newsbench (docs/extraction.md): the JSON-LD headline first, then OpenGraph, is right most often;
a vote between sources (tried) was right less often, since SEO and social variants are copied
into several tags. <title> comes last: it most often carries site and section names."""

SHORTER_SOCIAL_TITLE_WINS = True
"""When the JSON-LD headline and og:title differ, the shorter is taken. The longer one is the search
variant (keywords added: "... in battling win over Tottenham", "... if you have the rare buck"); the
og:title is written for link previews, where space is short, and is the one readers see when the
article is shared. Measured on newsbench split by publisher (docs/extraction-log.md): +3 pages on the
half the rule was found on, +1 on the other; losses are og:titles cut mid-sentence."""

MIN_SHARED_SOCIAL_WORDS = 0.5
"""The shorter og:title wins (SHORTER_SOCIAL_TITLE_WINS) only when at least this share of its words
are words of the JSON-LD headline: it is then the same headline with search keywords left out. An
og:title in other words altogether is a social teaser line ("Palestinians say ..." for "What's next
for Gaza ...") or a stale value left from an earlier version of the story, and the headline stays.
Half of the words: on newsbench the og:titles that are the reference share 0.7-1.0 of their words
with the headline, the wholly different ones 0.1-0.2 (docs/extraction-log.md, session 8)."""

_WORD = re.compile(r"\w+")


def _shared_words(shorter: str, longer: str) -> float:
    """The share of ``shorter``'s distinct words (case-folded) that ``longer`` also has."""
    words = {w.casefold() for w in _WORD.findall(shorter)}
    return len(words & {w.casefold() for w in _WORD.findall(longer)}) / len(words) if words else 0.0


# Separators between a headline and a site name or section ("Headline | Site", "Site – Headline").
_TITLE_SEPARATOR = re.compile(r"\s+[|\-–—·•*:»]{1,2}\s+|\s*[｜：ㅣ]\s*|\s+\|\s*")
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
    # every source's title, site names stripped (the chosen one first), then as the page wrote them: a
    # first line "Headline | Site" is the headline repeated even though the title lost "| Site"
    title_candidates: tuple[str, ...]
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
    keys = {k for k in keys if k}
    tail = title_tail_key(titles["title"], titles["h1"])
    if tail and not (SITE_NAME_H1_IS_NO_HEADLINE and _names_site(titles["h1"] or "", keys)):
        keys.add(tail)  # (when the h1 is the site's name, the <title>'s tail is the post's headline)
    return keys


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


def _matches_site(key: str, site_keys: set[str]) -> bool:
    n = SHORT_SITE_KEY_CHARS
    return any(k == key or (len(k) > n and k in key) or (len(key) > n and key in k) for k in site_keys)


# The blog software's own segment of "Site » Blog Archive » Post" (WordPress's classic theme, translated).
_ARCHIVE_SEGMENTS = frozenset({"blogarchive", "blogarchiv", "archivedublog", "archivodelblog"})


def _names_site(segment: str, site_keys: set[str]) -> bool:
    if (
        not name_key(segment)
        or _DATE_SEGMENT.match(segment.strip())
        or name_key(segment) in _ARCHIVE_SEGMENTS
    ):
        return True
    if len(segment.split()) > MAX_SITE_SEGMENT_WORDS:
        return False
    if any(_matches_site(key, site_keys) for key in name_keys(segment)):
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
    bracketed = _BRACKETED_TAIL.search(rebuilt) if SITE_NAME_IN_BRACKETS else None
    if bracketed and bracketed.start() and _names_site(bracketed[1], site_keys) and name_key(bracketed[1]):
        return rebuilt[: bracketed.start()].strip()
    return rebuilt.strip()


SITE_NAME_IN_BRACKETS = True
"""A site's name in brackets after the headline, without a separator ("»Headline« (neues deutschland)",
"Headline (example.com)"), is cut like a "| Site" tail (docs/extraction-log.md, "Session 13: metadata")."""
_BRACKETED_TAIL = re.compile(r"\s*[(\[]([^()\[\]]{2,40})[)\]]\s*$")


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
    h1 = cleaned.get("h1")
    if SITE_NAME_H1_IS_NO_HEADLINE and h1 and len(cleaned) > 1 and _names_site(h1, site_keys):
        del cleaned["h1"]  # a blog's name as its page heading: the post's title is elsewhere
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
    return _page_headline(_written_case(chosen, cleaned.values()), cleaned.get("h1"))


SITE_NAME_H1_IS_NO_HEADLINE = True
"""An h1 that is the site's name alone ("Four Years Remaining" on fouryears.eu, a blog theme's heading over
every post) is no headline candidate when the page has another title source (docs/extraction-log.md,
"Session 13: metadata")."""

CAPITALISED_TITLE_GIVES_WAY = True
"""A title with every word capitalised ("... Pounds Of Cocaine Intercepted By Federal Agents") is a plugin's
mechanical title case when another source has the same words with small words in lower case ("... Pounds of
Cocaine Intercepted by Federal Agents"): the other source is the headline as written
(docs/extraction-log.md, "Session 13: metadata")."""


def _every_word_capitalised(title: str) -> bool:
    words = [w for w in _WORD.findall(title) if w[0].isalpha()]
    return len(words) > 1 and all(w[0].isupper() for w in words)


def _written_case(chosen: str, others: Iterable[str]) -> str:
    if not CAPITALISED_TITLE_GIVES_WAY or not _every_word_capitalised(chosen):
        return chosen
    folded = chosen.casefold()
    return next((t for t in others if t != chosen and t.casefold() == folded and not t.isupper()), chosen)


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


COPYRIGHT_YEAR_IS_NO_DATE = True
"""htmldate's last resort is the year of the page's copyright line, given as 1 January of that year: a page
that shows no date of its own (an organisation's news item, a magazine page) would be dated to the footer's
"© 2013". A 1 January from htmldate is dropped when the page has a copyright notice with that year
(docs/extraction-log.md, "Session 13: metadata"); a post of 1 January keeps its date when no footer names the
year alone."""
_COPYRIGHT_TEXT_XPATH = "//text()[contains(., '©') or contains(., 'opyright') or contains(., '(c)')]"
_COPYRIGHT_YEAR = r"(?:©|\(c\)|copyright)\s*(?:\d{{4}}\s*[-–/]\s*)?{year}\b"


def _htmldate_day(tree: HtmlElement, fallback_date: Callable[[], str | None]) -> datetime | None:
    """trafilatura's date guess (htmldate), without its copyright-year fallback."""
    value = parse_date(fallback_date())
    if COPYRIGHT_YEAR_IS_NO_DATE and value is not None and (value.month, value.day) == (1, 1):
        notice = re.compile(_COPYRIGHT_YEAR.format(year=value.year), re.IGNORECASE)
        if any(notice.search(text) for text in tree.xpath(_COPYRIGHT_TEXT_XPATH)):
            return None
    return value


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
    byline_elements = cache(lambda: tree.xpath(BYLINE_XPATH))
    near = NearHeadline(marks.h1)  # one walk after the headline: the by-line, the credits, the date line
    return PageMetadata(
        title=title,
        title_candidates=tuple(
            dict.fromkeys(t for t in (title, *cleaned, *titles.values()) if t)  # raw ones too (below)
        ),
        authors=clean_authors(
            linked.authors,
            meta_authors,
            fallback_author,
            site_keys,
            lambda: dom_bylines(tree, byline_elements()),
            lambda: by_line(near),
            lambda: credit_lines(tree, near, url, marks.title),
            lambda: comment_authors(byline_elements()),
        ),
        published_at=publication_date(
            _dates([linked.published, *(meta.get(n.lower()) for n in _PUBLISHED_META), time_published]),
            lambda: dates_near(
                near, month_first(tree.getroottree().getroot().get("lang"), meta.get("og:locale"))
            ),
            lambda: _htmldate_day(tree, fallback_date),
            modified_at,
        ),
        modified_at=modified_at,
        article_type=linked.article_type,
        page_types=linked.page_types | ({og_type} if og_type else set()),
    )
