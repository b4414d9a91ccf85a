"""A page's lxml tree, parsed as trafilatura's ``load_html`` parses a decoded page, but cheaper to walk.

lxml builds a Python proxy object for every element code touches, and asks the parser's element-class
lookup which class it gets. trafilatura's parser uses lxml.html's ``HtmlElementClassLookup``, whose
``lookup`` is a Python method: one Python call per proxy, ~4,900 a page between our metadata and cleanup
walks, trafilatura (which works on copies of this tree; a copy keeps its parser) and htmldate, ~0.14 µs
each on top of the proxy itself. ``_html_lookup`` gives every node the same class from lxml's C-level
lookups: the form classes by tag name, ``HtmlElement`` for other elements, lxml.html's comment,
processing-instruction and entity classes (tests/ingest/test_extraction_lookups.py pins both the
classes and the trees to trafilatura's).
"""

from __future__ import annotations

import logging

from lxml import etree
from lxml.html import (
    HtmlComment,
    HtmlElement,
    HtmlElementClassLookup,
    HtmlEntity,
    HTMLParser,
    HtmlProcessingInstruction,
    fromstring,
)
from trafilatura.utils import is_dubious_html, repair_faulty_html

LOGGER = logging.getLogger(__name__)


def _html_lookup() -> etree.ElementNamespaceClassLookup:
    """lxml.html's element classes (``HtmlElementClassLookup``: form elements by tag, then the defaults),
    chosen in C: tags are looked up in the registry of elements without a namespace (the HTML parser
    puts none, and lower-cases every tag name)."""
    defaults = etree.ElementDefaultClassLookup(
        element=HtmlElement, comment=HtmlComment, pi=HtmlProcessingInstruction, entity=HtmlEntity
    )
    lookup = etree.ElementNamespaceClassLookup(defaults)
    lookup.get_namespace(None).update(HtmlElementClassLookup._default_element_classes)
    return lookup


# trafilatura.utils.HTML_PARSER's options (trafilatura 2.3.1), with the C-level lookup.
_PARSER = HTMLParser(
    collect_ids=False, default_doctype=False, encoding="utf-8", remove_comments=True, remove_pis=True
)
_PARSER.set_element_class_lookup(_html_lookup())


def _from_bytes(html: str) -> HtmlElement | None:
    try:
        return fromstring(html.encode("utf8", "surrogatepass"), parser=_PARSER)
    except Exception as error:  # trafilatura's fromstring_bytes: an unparsable page has no tree
        LOGGER.info("lxml could not parse the page's bytes: %s", error)
    return None


def load_html(html: str) -> HtmlElement | None:
    """The tree of a decoded page, or None when it is no HTML: ``trafilatura.utils.load_html`` for a
    string, step by step (repair, parse the string, else its UTF-8 bytes; reject a dubious one-child
    tree), with this module's parser."""
    beginning = html[:50].lower()
    dubious = is_dubious_html(beginning)
    html = repair_faulty_html(html, beginning)
    tree = None
    fallback_parse = False
    try:
        tree = fromstring(html, parser=_PARSER)
    except ValueError:  # "Unicode strings with encoding declaration are not supported."
        tree = _from_bytes(html)
        fallback_parse = True
    except Exception as error:  # as trafilatura: a parser failure leaves no tree
        LOGGER.info("lxml could not parse the page: %s", error)
    if (tree is None or len(tree) < 1) and not fallback_parse:
        tree = _from_bytes(html)
    if tree is not None and dubious and len(tree) < 2:
        tree = None
    return tree
