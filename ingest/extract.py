"""HTML -> main text and metadata of one article, or a typed rejection saying why not.

trafilatura does the heavy lifting (main-text extraction; a recall-favouring rerun when the text
is short, a rerun on the joined body when the page splits it into containers of one kind). On top
of it, measured on ``../shared/corpus`` and ``../shared/newsbench`` with ``bench/extraction_quality.py``:
comments are left out (reader comments are not the article), a lead paragraph that trafilatura skipped
is restored from the page body, news furniture lines are dropped (``ingest/text_cleanup.py``),
title/authors/dates come from every source the page offers (``ingest/metadata.py``), and pages that are
no article or whose text scores too low are rejected (``ingest/quality.py``). See ``docs/extraction.md``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit

from htmldate.extractors import get_external_parser
from lxml import etree
from lxml.html import HtmlElement
from trafilatura import bare_extraction
from trafilatura.external import jt_stoplist_init
from trafilatura.settings import Document

from ingest.body_chunks import body_chunks, joined_body
from ingest.html_tree import load_html
from ingest.metadata import PageMetadata, read_metadata
from ingest.quality import MIN_QUALITY, ExtractionInfo, page_type_rejection, text_quality
from ingest.text_cleanup import (
    clean_paragraphs,
    is_boilerplate,
    is_caption,
    is_reader_call,
    later_story_keys,
    letter_count,
    line_keys,
    link_only_texts,
)
from ingest.trafilatura_metadata import TrafilaturaMetadata
from schemas.dead_letter import Stage
from schemas.settings import get_settings

# Below this many characters of main text a page is not an article (a stub, a gallery, an error
# page). trafilatura's own MIN_EXTRACTED_SIZE is 250; the shortest corpus article with real
# content (a press note) is ~300 chars, so 200 rejects stubs without losing short news items.
MIN_ARTICLE_CHARS = 200

# A listing page (front page, section, tag archive) yields many short link-text paragraphs. On
# such URLs, a text whose median paragraph is shorter than this is taken as a listing; article
# paragraphs in the corpus have a median of ~250 chars, teaser lists ~60.
LISTING_MEDIAN_PARAGRAPH_CHARS = 90
# A teaser list carries a few teaser texts of its own, an article most of its text in paragraphs this
# long (two or more sentences); a listing has under this share of its text in them.
ARTICLE_PARAGRAPH_CHARS = 200
MIN_ARTICLE_TEXT_SHARE = 0.5
_LISTING_PATH = re.compile(
    r"^/?$|/(tags?|category|categories|rubrik|ressort|themen?|topics?|author|autor|archive)(/|$)|/page/\d+/?$",
    re.IGNORECASE,
)

# Below this many characters of main text, trafilatura is run again favouring recall and the longer
# text is kept: its precision-first cascade sometimes keeps only a fragment of a short article or
# of an unusual layout (a page of ~2 short paragraphs is ~400 chars). Rare, so cheap on average.
RECALL_FALLBACK_BELOW_CHARS = 400

# A meta description shorter than this is a slogan or a site blurb, not a lead paragraph.
MIN_LEAD_CHARS = 60
# Characters of the description used to find the lead paragraph in the page body: long enough to
# be unique, short enough to survive small editorial differences between meta and body text.
LEAD_PROBE_CHARS = 50
# The meta description and og:description are probed in turn: a page may write one for search results
# (or render it as the body's first paragraph) and render the other as its lead.
MAX_DESCRIPTIONS = 2
# A description may open with a label that the page's lead does not repeat: the section ("Pakistan News: "),
# the kind of page ("Bienenstich-Muffins Rezepte: "), the author ("Ernst Lohoff: "). Tried without it when
# the whole description is not found; a label is a few words (up to 40 chars) with no sentence end in them.
_DESCRIPTION_LABEL = re.compile(r"^[^:.!?]{2,40}:\s+")
# The lead block may open with a dateline the description leaves out ("Berlin. Die ..."): the probe
# may start this many characters into the block. A block more than twice as long as the description
# is the article body or a page wrapper, not the lead.
MAX_LEAD_DATELINE_CHARS = 40

# A standfirst (dek, intro, teaser, epigraph): the summary paragraph between headline and body that
# many layouts mark by class name and trafilatura often leaves out as a "teaser". Class-name words
# that mark one, in the languages of the benchmarks (Spanish "entradilla"/"bajada", French "chapo").
_STANDFIRST_CLASS = re.compile(
    r"(?:^|[\s_-])(?:lead|lede|intro|standfirst|teaser|excerpt|epigraph|summary|dek|deck|subtitle|sub-?headline"
    r"|abstract|chapeau|chapo|entradilla|sumario|bajada)(?:$|[\s_-])",
    re.IGNORECASE,
)
# The class strings of the body's elements, in document order, as plain strings: testing them costs no
# element proxies (building one for each of the ~400 elements with a class was ~0.7 ms a page); only the
# marked elements are then fetched, by position, this many per XPath pass.
_CLASS_STRINGS = etree.XPath("//body//*/@class", smart_strings=False)
_CLASSED_ELEMENTS = "(//body//*[@class])"
STANDFIRST_FETCH_CHUNK = 16
# A standfirst is one or two sentences: shorter than this it is a kicker or a label, longer than
# MAX_STANDFIRST_CHARS it is a wrapper around the article body.
MIN_STANDFIRST_CHARS = 60
MAX_STANDFIRST_CHARS = 700
# Elements (document order) whose class is tested; the standfirst sits near the top of the page.
MAX_STANDFIRST_CANDIDATES = 12
# Marked elements that are never the standfirst and are not counted among the candidates: the headline,
# code, and links and list items (a site menu's "teaser" links come before the article in the page).
_NEVER_STANDFIRST_TAGS = frozenset({"h1", "script", "style", "a", "li"})
# A dek set as a subheading (<h2 class="epigraph">, <h2 class="article-excerpt">) often has no final stop;
# a standfirst in any other element must end like a sentence (_SENTENCE_END).
UNPUNCTUATED_STANDFIRST_TAGS = frozenset({"h2"})
# When the lead the description names is in the text already, only a single paragraph or subheading above
# it is taken as the standfirst: the marked wrappers of such pages are paywall boxes, captions and headers.
STANDFIRST_ABOVE_LEAD_TAGS = frozenset({"p", "h2"})
# Not a standfirst inside these, nor when hidden (a paywall or login box shown to some readers only).
_NOT_STANDFIRST_ANCESTORS = (
    "ancestor-or-self::*[self::a or self::nav or self::aside or self::footer or self::li or self::figure"
    " or self::figcaption or self::script or @hidden or contains(concat(' ', @class, ' '), ' hidden ')]"
)
# A standfirst is running text: it ends like a sentence, and at most this share of its letters is
# link text (breadcrumbs, tickers and related-article teasers are links).
MAX_STANDFIRST_LINK_SHARE = 0.5
_SENTENCE_END = (".", "!", "?", "…", '"', "“", "”", "»", "«", ")")

# The body's text nodes holding a word of the description; the description is then looked for in the block
# around each, whose text may be split over several nodes by inline markup (a bold name, a drop cap).
_LEAD_WORD_XPATH = etree.XPath("//body//text()[contains(., $word)]")
# The text nodes after a standfirst candidate that hold a word of the text's first paragraph; the paragraph
# itself is then looked for in the block around each (see _paragraph_follows).
_FOLLOWING_WORD_XPATH = etree.XPath("following::text()[contains(., $word)]")
_INLINE_TAGS = frozenset({"span", "b", "strong", "em", "i"})
_INLINE_OR_LINK_TAGS = _INLINE_TAGS | {"a"}
_LEAD_TAGS = frozenset({"p", "div", "h2", "section"})


@dataclass(frozen=True)
class Extracted:
    """The main text and page metadata of one article (no NLP yet)."""

    text: str  # paragraphs separated by blank lines
    title: str | None
    authors: tuple[str, ...]
    published_at: (
        datetime | None
    )  # from the page metadata (JSON-LD, meta, <time>, htmldate), never the fetch time
    modified_at: datetime | None  # when the page says it last changed
    sitename: str | None
    description: str | None
    tags: tuple[str, ...]
    categories: tuple[str, ...]
    image: str | None
    declared_canonical_url: str | None  # rel=canonical / og:url as the page states it
    language: str | None  # the page's own lang attribute or meta, if any
    extraction: ExtractionInfo  # how the text was extracted and how good it looks


@dataclass(frozen=True)
class Rejection:
    """Why a page did not become an article event; self-explanatory as a dead-letter record."""

    url: str
    stage: Stage
    reason: str  # machine-friendly code, e.g. "not_article:too_short", "extract_error:ValueError"
    detail: str  # for a human


# Text that is no date in any language: dateparser tries every locale on it, which compiles each
# locale's word-splitting regexes once (~2 CPU s per process, kept in class-level caches).
_NOT_A_DATE = "newsflow warm-up"


def warm_up_extraction() -> None:
    """Fill the per-process caches the first pages would otherwise fill: htmldate hands date strings it
    cannot read to dateparser, which compiles regexes for every locale it tries. Done once in the pool's
    fork server, every worker inherits them (a fresh worker's first ~200 pages cost ~35 % more CPU
    without it). The jusText fallback's merged stop list is built on first use too (~0.2 s)."""
    get_external_parser().get_date_data(_NOT_A_DATE)
    jt_stoplist_init()
    if get_settings().publisher_parsers:  # optional fundus: ~0.6 CPU s to import and index its publishers
        from ingest import publisher_parsers

        if publisher_parsers.usable():
            publisher_parsers.publisher_for("https://example.org/")


def extract_article(html: str, url: str, publisher_parsers: bool | None = None) -> Extracted | Rejection:
    """Extract one page. Never raises: every failure is a Rejection with a reason.

    ``publisher_parsers`` (default: the ``NEWSFLOW_PUBLISHER_PARSERS`` setting, off) lets a hand-written
    parser of the page's publisher replace the generic fields, when fundus is installed
    (``ingest/publisher_parsers.py``)."""
    try:
        result = _extract(html, url)
    except Exception as error:  # one bad page must never stop a batch; the reason is kept
        return Rejection(url, "extract", f"extract_error:{type(error).__name__}", str(error)[:300])
    if publisher_parsers is None:
        publisher_parsers = get_settings().publisher_parsers
    if publisher_parsers and isinstance(result, Extracted):
        from ingest import publisher_parsers as parsers  # optional dependency, imported only when asked for

        if parsers.usable():
            return parsers.refine(result, html, url)
    return result


def _extract(html: str, url: str) -> Extracted | Rejection:
    if not html.strip():
        return Rejection(url, "extract", "not_article:empty", "the page has no content")
    if "<" not in html[:65_536]:
        return Rejection(url, "extract", "not_article:not_html", "no markup in the first 64 KiB")
    tree = load_html(html)
    if tree is None:
        return Rejection(url, "extract", "not_article:no_main_text", "the page could not be parsed as HTML")
    doc = bare_extraction(tree, url=url, include_comments=False)
    # trafilatura's metadata (with_metadata=True) is read from the same tree, its costly guesses only
    # when read_metadata needs them; none when trafilatura finds no text, as bare_extraction gives
    found = TrafilaturaMetadata(tree if doc is not None else None, url)
    doc = doc or Document()
    lines, method = _lines(doc), "trafilatura"
    if sum(len(line) for line in lines) < RECALL_FALLBACK_BELOW_CHARS:
        retry = _lines(bare_extraction(tree, url=url, favor_recall=True, include_comments=False))
        if sum(len(line) for line in retry) > sum(len(line) for line in lines):
            lines, method = retry, "trafilatura+recall"
    chunks = body_chunks(tree, "\n".join(lines))
    if chunks:  # the body is split into containers and trafilatura read the first: once more, joined
        joined = _lines(bare_extraction(joined_body(tree, chunks), url=url, include_comments=False))
        if sum(len(line) for line in joined) > sum(len(line) for line in lines):
            lines, method = joined, "trafilatura+chunks"
    if not lines:
        return Rejection(url, "extract", "not_article:no_main_text", "trafilatura found no main text")
    meta = read_metadata(tree, url, lambda: found.author, lambda: found.date)
    # after bare_extraction: it works on a copy of the tree, so the page is the same, and only the
    # elements that read like one of the extracted lines need their link text measured
    link_texts = link_only_texts(tree, among=line_keys(lines), titles=meta.title_candidates)
    later_stories = later_story_keys(tree)
    paragraphs = clean_paragraphs(lines, meta.authors, meta.title_candidates, link_texts, later_stories)
    lead = _lead_paragraph(tree, paragraphs)
    if lead and not any(lead[:LEAD_PROBE_CHARS] in p for p in paragraphs):
        paragraphs.insert(0, lead)
    elif paragraphs:  # no lead, or the lead is in the text already: a dek may sit above it
        standfirst = _standfirst(tree, paragraphs, meta.title_candidates if lead else None)
        if standfirst:
            paragraphs.insert(0, standfirst)
    text = "\n\n".join(paragraphs)
    rejection = _not_an_article(url, paragraphs, text, meta)
    if rejection is not None:
        return rejection
    quality = text_quality(paragraphs, meta.title is not None, meta.published_at is not None)
    if quality < MIN_QUALITY:
        return Rejection(url, "extract", "not_article:low_quality", f"quality {quality} (< {MIN_QUALITY})")
    return Extracted(
        text=text,
        title=meta.title or _clean(found.title),
        authors=meta.authors,
        published_at=meta.published_at,
        modified_at=meta.modified_at,
        sitename=_clean(found.sitename),
        description=_clean(found.description),
        tags=tuple(t for t in found.tags if t),
        categories=tuple(c for c in found.categories if c),
        image=_clean(found.image),
        declared_canonical_url=_clean(found.url),
        language=_page_language(tree),
        extraction=ExtractionInfo(method, quality),
    )


def _lines(doc: Document | None) -> list[str]:
    return [line.strip() for line in (doc.text if doc and doc.text else "").split("\n") if line.strip()]


def _not_an_article(url: str, paragraphs: list[str], text: str, meta: PageMetadata) -> Rejection | None:
    if len(text) < MIN_ARTICLE_CHARS:
        return Rejection(
            url, "extract", "not_article:too_short", f"{len(text)} chars of main text (< {MIN_ARTICLE_CHARS})"
        )
    if _looks_like_listing(url, paragraphs):
        return Rejection(
            url, "extract", "not_article:listing_page", "short link-like paragraphs on a section/front URL"
        )
    declared = page_type_rejection(meta.page_types, meta.article_type, len(text))
    return Rejection(url, "extract", *declared) if declared else None


def _lead_paragraph(tree: HtmlElement, paragraphs: Sequence[str] = ()) -> str | None:
    """The body element that renders the meta description (a lead/intro block), if there is one.

    trafilatura often drops the lead when it sits outside the article body container; the page
    repeating its own description as visible text is a strong sign that the block is the lead.
    The meta description and og:description are tried in turn (MAX_DESCRIPTIONS): when the first
    renders a block the text already has (``paragraphs``), the second may render the missing lead.
    """
    descriptions = tree.xpath('//head/meta[@name="description" or @property="og:description"]/@content')
    tried: set[str] = set()
    first = None
    for value in descriptions[:MAX_DESCRIPTIONS]:
        description = " ".join(str(value).split())
        if len(description) < MIN_LEAD_CHARS or description in tried:
            continue
        tried.add(description)
        lead = _rendered_description(tree, description)
        label = _DESCRIPTION_LABEL.match(description)
        if lead is None and label and len(description) - label.end() >= MIN_LEAD_CHARS:
            lead = _rendered_description(tree, description[label.end() :])
        if lead and not any(lead[:LEAD_PROBE_CHARS] in p for p in paragraphs):
            return lead
        first = first or lead
    return first


def _block_of(text_node: etree._ElementUnicodeResult) -> HtmlElement | None:
    """The block element a text node's text belongs to: its parent, past inline markup and links."""
    element = text_node.getparent()
    while element is not None and element.tag in _INLINE_OR_LINK_TAGS:
        element = element.getparent()
    return element


def _rendered_description(tree: HtmlElement, description: str) -> str | None:
    probe = description[:LEAD_PROBE_CHARS]
    # the probe's longest word, as it is in the page: few text nodes hold it, so few blocks are read
    for node in _LEAD_WORD_XPATH(tree, word=max(probe.split(), key=len)):
        element = _block_of(node)  # a linked or bold name inside the lead does not hide it
        if element is None or element.tag not in _LEAD_TAGS or element.xpath("ancestor::a"):
            continue
        text = " ".join(element.text_content().split())
        if 0 <= text.find(probe) <= MAX_LEAD_DATELINE_CHARS and len(text) <= 2 * len(description) + 100:
            linked = sum(letter_count(a.text_content()) for a in element.iter("a"))
            if linked <= MAX_STANDFIRST_LINK_SHARE * letter_count(text):  # mostly link text: a teaser
                return text
    return None


def _standfirst(
    tree: HtmlElement, paragraphs: list[str], lead_in_text_titles: Sequence[str] | None = None
) -> str | None:
    """The page's standfirst (see _STANDFIRST_CLASS) when the text lacks it: the first element marked
    so by class, 60-700 chars, not a link, list item, navigation or hidden, that comes before the text's
    first paragraph in the page (a "teaser" class after the body start is a related-article teaser).

    ``lead_in_text_titles``: the text holds the description's lead already, and these are the page's
    titles; a standfirst above the lead is then a single paragraph or <h2> (STANDFIRST_ABOVE_LEAD_TAGS)
    that does not hold a title (a header block of kicker, date and headline is no standfirst)."""
    probe = paragraphs[0][:LEAD_PROBE_CHARS]
    tested = 0
    for element in _marked_elements(tree):
        if element.tag in _NEVER_STANDFIRST_TAGS:
            continue  # not counted: a menu of teaser links must not use up the candidates
        tested += 1
        if tested > MAX_STANDFIRST_CANDIDATES:
            return None
        if lead_in_text_titles is not None and element.tag not in STANDFIRST_ABOVE_LEAD_TAGS:
            continue
        text = " ".join(element.text_content().split())
        if not MIN_STANDFIRST_CHARS <= len(text) <= MAX_STANDFIRST_CHARS or not _is_standfirst(element, text):
            continue
        if lead_in_text_titles is not None and any(title and title in text for title in lead_in_text_titles):
            continue
        if any(text[:LEAD_PROBE_CHARS] in p for p in paragraphs):
            return None  # the text has it already
        return text if _paragraph_follows(element, probe) else None
    return None


def _paragraph_follows(element: HtmlElement, probe: str) -> bool:
    """Whether a block after ``element`` starts like ``probe``, the text's first paragraph. The block's whole
    text is read, since a paragraph's opening words are often split by a link, a bold name or a drop cap."""
    for node in _FOLLOWING_WORD_XPATH(element, word=max(probe.split(), key=len)):
        block = _block_of(node)
        if block is None or any(block is above for above in element.iterancestors()):
            continue  # a wrapper around the candidate too: its text may hold the probe before the candidate
        if probe in " ".join(block.text_content().split()):
            return True
    return False


def _marked_elements(tree: HtmlElement) -> Iterator[HtmlElement]:
    """The body's elements whose class matches _STANDFIRST_CLASS, in document order."""
    marks: dict[str, bool] = {}  # a page repeats its class strings ("col-md-4"): each is tested once
    positions = []
    for position, names in enumerate(_CLASS_STRINGS(tree), start=1):
        marked = marks.get(names)
        if marked is None:
            marked = marks[names] = _STANDFIRST_CLASS.search(names) is not None
        if marked:
            positions.append(position)
    for start in range(0, len(positions), STANDFIRST_FETCH_CHUNK):
        chunk = positions[start : start + STANDFIRST_FETCH_CHUNK]
        yield from tree.xpath(f"{_CLASSED_ELEMENTS}[{' or '.join(f'position() = {n}' for n in chunk)}]")


def _is_standfirst(element: HtmlElement, text: str) -> bool:
    if not (text.endswith(_SENTENCE_END) or element.tag in UNPUNCTUATED_STANDFIRST_TAGS):
        return False
    if element.xpath(_NOT_STANDFIRST_ANCESTORS):
        return False
    if is_caption(text) or is_boilerplate(text) or is_reader_call(text):
        return False
    linked = sum(letter_count(a.text_content()) for a in element.iter("a"))
    return linked <= MAX_STANDFIRST_LINK_SHARE * letter_count(text)


def _looks_like_listing(url: str, paragraphs: list[str]) -> bool:
    parts = urlsplit(url)
    if not _LISTING_PATH.search(parts.path) or (parts.path in ("", "/") and parts.query):
        return False  # "/?p=123" is a post, not the front page
    lengths = sorted(len(p) for p in paragraphs)
    if lengths[len(lengths) // 2] >= LISTING_MEDIAN_PARAGRAPH_CHARS:
        return False
    # many short lines, but most of the text in long paragraphs: an article with subheadings and a
    # "related" box (an interview under a /themen/ path), not a teaser list
    in_long = sum(n for n in lengths if n >= ARTICLE_PARAGRAPH_CHARS)
    return in_long < MIN_ARTICLE_TEXT_SHARE * sum(lengths)


def _page_language(tree: HtmlElement) -> str | None:
    values = tree.xpath('/html/@lang|//head/meta[@http-equiv="content-language"]/@content')
    code = str(values[0]).strip().lower()[:2] if values else ""
    return code if re.fullmatch("[a-z]{2}", code) else None


def _clean(value: str | None) -> str | None:
    value = " ".join(value.split()) if value else ""
    return value or None
