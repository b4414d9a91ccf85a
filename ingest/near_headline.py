"""What a page shows next to its headline: the elements and text after the headline element, and the
text before it, walked once a page.

The byline row, the date line and the credits without byline markup stand there. Three readers look
(``ingest/date_line.py``: the publication day written there; ``ingest/bylines.py``: the "By Name" line
and the credits between the headline and the text), each as far as it needs: the date line a budget
of visible characters on either side, the credits up to the text's first long paragraph, the by-line
until it finds one. ``NearHeadline`` walks the page after the headline lazily, once: what one reader
has walked, the next reads again from memory (the walk stops where the furthest reader stopped).

After the headline means XPath's ``following`` axis: the headline's tail, then its later siblings with
everything inside them, then the same for each ancestor in turn; the headline's own text is not in it.
Text inside ``script``, ``style`` and the other ``_UNSHOWN_TAGS`` is left out; their elements are not.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import chain, islice

from lxml.html import HtmlElement

_UNSHOWN_TAGS = frozenset({"script", "style", "noscript", "template", "select", "option"})

WALK_STEP_NODES = 32
"""Nodes walked at a time (by lxml, in C): a date line reads a few dozen nodes after the headline, a
by-line that is not there the rest of the page (~390 nodes on the 251 corpus pages that look for one).
Measured there (by_line alone): node by node ~0.50 ms a page, 8 at a time ~0.34, 32 ~0.30, 128 ~0.30."""


class NearHeadline:
    """The page around one headline element (None: the page has none, and nothing is near it)."""

    def __init__(self, headline: HtmlElement | None) -> None:
        self.headline = headline
        self._walk: Iterator[HtmlElement] = _following(headline) if headline is not None else iter(())
        self._walked: list[HtmlElement] = []

    def _after(self) -> Iterator[HtmlElement]:
        """The nodes after the headline (elements, comments, ...), in document order: the walked ones
        again, then the walk goes on, WALK_STEP_NODES at a time."""
        walked = self._walked
        index = 0
        while True:
            if index == len(walked):
                walked.extend(islice(self._walk, WALK_STEP_NODES))
                if index == len(walked):
                    return
            step = walked[index:]
            index += len(step)
            yield from step

    def elements_after(self, *tags: str) -> Iterator[HtmlElement]:
        """The elements after the headline in document order (XPath ``following::*``), lazily; only those
        of ``tags`` when given."""
        if tags:
            return (node for node in self._after() if node.tag in tags)
        return (node for node in self._after() if isinstance(node.tag, str))

    def text_after(self, budget: int) -> str:
        """Up to ``budget`` characters of shown text after the headline, one line per text node."""
        if self.headline is None:
            return ""
        return _lines(_take(_texts(self.headline, self._after()), budget))[:budget]

    def text_before(self, budget: int) -> str:
        """Up to ``budget`` characters of shown text before the headline, one line per text node."""
        if self.headline is None:
            return ""
        return _lines(reversed(_take(_preceding(self.headline), budget)))[-budget:]


def _following(headline: HtmlElement) -> Iterator[HtmlElement]:
    """The nodes after the headline in document order: the later siblings of the headline and of each of
    its ancestors, each with everything inside it (lxml's ``iter``, in C: the whole page after the
    headline in ~0.2 ms on the corpus, against ~0.7 for ``iterwalk`` events and ~0.9 for a recursive
    Python walk, and the by-line may read that far)."""
    levels = chain((headline,), headline.iterancestors())
    return chain.from_iterable(sibling.iter() for node in levels for sibling in node.itersiblings())


def _texts(headline: HtmlElement, after: Iterable[HtmlElement]) -> Iterator[str]:
    """The shown text after the headline in document order, from the nodes after it: each element's
    text where it opens, its tail where it closes (when a node outside it comes next); the headline's
    ancestors close in turn as the walk leaves them."""
    if headline.tail:
        yield headline.tail
    open_nodes = list(headline.iterancestors())[::-1]  # outermost first, then the nodes the walk opened
    unshown: list[HtmlElement] = []  # the open unshown elements (script, style, ...) the walk opened

    def close_until(parent: HtmlElement | None) -> Iterator[str]:
        while open_nodes and open_nodes[-1] is not parent:
            closed = open_nodes.pop()
            if unshown and closed is unshown[-1]:
                unshown.pop()
            if not unshown and closed.tail:
                yield closed.tail

    for node in after:
        yield from close_until(node.getparent())
        open_nodes.append(node)
        tag = node.tag
        if isinstance(tag, str):
            if tag in _UNSHOWN_TAGS:
                unshown.append(node)
            elif not unshown and node.text:
                yield node.text
    yield from close_until(None)


def _reversed_texts(element: HtmlElement) -> Iterator[str]:
    """The element's shown text in reverse document order, its own tail left out."""
    if not isinstance(element.tag, str) or element.tag in _UNSHOWN_TAGS:
        return
    for child in reversed(element):
        if child.tail:
            yield child.tail
        yield from _reversed_texts(child)
    if element.text:
        yield element.text


def _preceding(headline: HtmlElement) -> Iterator[str]:
    """The shown text before the headline element, nearest first, lazily."""
    node: HtmlElement | None = headline
    while node is not None:
        for sibling in node.itersiblings(preceding=True):
            if sibling.tail:
                yield sibling.tail
            yield from _reversed_texts(sibling)
        parent = node.getparent()
        if parent is not None and parent.text:
            yield parent.text
        node = parent


def _take(texts: Iterable[str], budget: int) -> list[str]:
    """Texts until ``budget`` visible characters are read."""
    taken: list[str] = []
    size = 0
    for text in texts:
        taken.append(text)
        size += len(text.strip())
        if size >= budget:
            break
    return taken


def _lines(parts: Iterable[str]) -> str:
    """Text nodes as lines (one node, one line: a date line is a short one), whitespace collapsed."""
    lines = (" ".join(line.split()) for part in parts for line in part.split("\n"))
    return "\n".join(line for line in lines if line)
