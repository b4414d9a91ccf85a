"""An article body split into several containers of one kind, which trafilatura reads only the first of.

trafilatura looks for the article body with a list of XPath expressions (``trafilatura.xpaths.BODY_XPATH``:
``div.article-body``, ``div.entry-content``, the first ``<article>``, ...) and takes the *first* element
the first fitting expression finds. Pages that break their body into chunks between ad slots or
paywall markers (``<div class="body articleBody">`` paragraphs 1-6, an ad, ``<div class="body
articleBody">`` paragraphs 7-20) repeat the container, and everything after the first chunk is lost:
a teaser-length text where the page holds the whole article. ``body_chunks`` finds the other
containers of the same tag and class next to the one trafilatura took, when they hold paragraph text
the extracted text lacks; ``joined_body`` returns a copy of the page with them moved into the first,
for a second extraction of that page only.
"""

from __future__ import annotations

from collections import defaultdict
from copy import deepcopy

from lxml import etree
from lxml.html import HtmlElement
from trafilatura.xpaths import BODY_XPATH

# A later container counts when its paragraphs hold this many characters the text does not have: a
# chunk of an article body is at least a paragraph (~200-400 chars); a repeated container holding only
# an author box or a caption (~50-120 chars) is no chunk.
MIN_MISSING_CHUNK_CHARS = 150

# Paragraph text is compared by its first characters (whitespace-normalised): enough to tell paragraphs
# apart, short enough to survive the cleanup's edits at a paragraph's end.
PARAGRAPH_PROBE_CHARS = 40

# A paragraph shorter than this is not compared (captions, labels, "Advertisement").
MIN_PROBED_PARAGRAPH_CHARS = 30


def body_chunks(tree: HtmlElement, text: str) -> list[HtmlElement]:
    """The body container trafilatura read (``text`` is what it extracted) followed by the later ones of
    the same kind that it did not read, in page order; empty for almost every page.

    The container is the first element of the first ``BODY_XPATH`` expression whose first element holds
    a line of the text, as in trafilatura's own loop (which skips an expression whose element has too
    little text). A later container counts when it has the same tag and class, sits at the same depth
    (chunks of one body are cousins; a box of that class elsewhere in the layout is not) and holds
    ``MIN_MISSING_CHUNK_CHARS`` of paragraph text the text lacks; the run stops at a heading that links
    elsewhere (``_consecutive``)."""
    flat = " ".join(text.split())
    if not _repeated_holder(tree, flat):
        return []
    lines = [" ".join(line.split()) for line in text.split("\n")]
    probes = [line[:PARAGRAPH_PROBE_CHARS] for line in lines if len(line) > PARAGRAPH_PROBE_CHARS]
    for expression in BODY_XPATH:
        found = expression(tree)
        if not found:
            continue
        first = found[0]
        first_text = " ".join(first.text_content().split())
        if not any(probe in first_text for probe in probes):
            continue  # trafilatura passed over this one (too little text there), as the next expression does
        chunks = _same_kind(tree, first, flat)
        return [first, *chunks] if chunks else []
    return []


def _repeated_holder(tree: HtmlElement, flat: str) -> bool:
    """The cheap test that comes first (~0.2 ms a page, one walk over the paragraphs; the BODY_XPATH
    expressions cost 1-4 ms, so they run only on the ~3 % of pages that pass it): two elements of one
    tag and class, at one depth, hold paragraphs directly, the first a paragraph of the text, the other
    MIN_MISSING_CHUNK_CHARS that the text lacks."""
    groups: dict[tuple[str, str], list[HtmlElement]] = defaultdict(list)
    last = None
    for paragraph in tree.iter("p"):
        holder = paragraph.getparent()
        if holder is last or holder is None:
            continue
        last = holder
        names = holder.get("class")
        if names:
            groups[(holder.tag, names)].append(holder)
    for holders in groups.values():
        if len(holders) < 2:
            continue
        first = " ".join(_FIRST_PARAGRAPH(holders[0]).split())[:PARAGRAPH_PROBE_CHARS]
        if not first or first not in flat:
            continue
        depth = _depth(holders[0])
        for holder in holders[1:]:
            probe = " ".join(_FIRST_PARAGRAPH(holder).split())[:PARAGRAPH_PROBE_CHARS]
            if (
                probe
                and probe not in flat
                and _depth(holder) == depth
                and _missing_chars(holder, flat) >= MIN_MISSING_CHUNK_CHARS
            ):
                return True
    return False


def _depth(element: HtmlElement) -> int:
    return sum(1 for _ in element.iterancestors())


# A holder's first paragraph that is more than a label, as a string.
_FIRST_PARAGRAPH = etree.XPath(
    f"string(p[string-length(normalize-space()) >= {MIN_PROBED_PARAGRAPH_CHARS}][1])", smart_strings=False
)


def _same_kind(tree: HtmlElement, first: HtmlElement, flat: str) -> list[HtmlElement]:
    names = first.get("class")
    if not names:
        return []
    around = list(first.iterancestors())
    depth = len(around)
    chunks = [
        element
        for element in tree.iter(first.tag)
        if element.get("class") == names
        and element is not first
        and element not in around
        and _depth(element) == depth
        and _missing_chars(element, flat) >= MIN_MISSING_CHUNK_CHARS
    ]
    return _consecutive(tree, [first, *chunks])[1:] if chunks else []


def _missing_chars(element: HtmlElement, flat: str) -> int:
    missing = 0
    for paragraph in element.iter("p"):
        value = " ".join(paragraph.text_content().split())
        if len(value) >= MIN_PROBED_PARAGRAPH_CHARS and value[:PARAGRAPH_PROBE_CHARS] not in flat:
            missing += len(value)
    return missing


def _consecutive(tree: HtmlElement, chunks: list[HtmlElement]) -> list[HtmlElement]:
    """The chunks up to the first one that a linked heading separates from the one before: a heading
    that links elsewhere is the title of another post (a blog's front page repeats the body container
    once per post), while chunks of one article have ads, images or plain subheads between them."""
    order = {element: position for position, element in enumerate(tree.iter())}
    linked_headings = [
        order[heading]
        for heading in tree.iter(*_HEADINGS)
        if heading.find(".//a[@href]") is not None or getattr(heading.getparent(), "tag", None) == "a"
    ]
    kept = [chunks[0]]
    for chunk in chunks[1:]:
        previous = kept[-1]
        end = max(order[element] for element in previous.iter())
        if any(end < position < order[chunk] for position in linked_headings):
            break
        kept.append(chunk)
    return kept


_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")


def joined_body(tree: HtmlElement, chunks: list[HtmlElement]) -> HtmlElement:
    """A copy of the page whose first body container (``chunks[0]``) holds the later ones too (moved
    into it, in page order)."""
    copy = deepcopy(tree)
    path = tree.getroottree().getpath
    find = copy.getroottree().xpath
    first, *later = [find(path(chunk))[0] for chunk in chunks]
    for chunk in later:
        first.append(chunk)
    return copy
