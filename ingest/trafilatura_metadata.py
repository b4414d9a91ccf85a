"""trafilatura's own metadata of a page, with its two costly guesses made only when they are read.

``bare_extraction(..., with_metadata=True)`` runs ``trafilatura.metadata.extract_metadata`` before the
text extraction: meta tags, JSON-LD, title, canonical URL, site name, categories and tags, and two
guesses that search the page: the author from byline markup (``extract_author``: a copy of the tree,
pruned and searched, ~7 ms on the pages whose meta tags and JSON-LD name nobody) and the date
(htmldate's ``find_date``, ~3 ms a page): together ~10 ms a page, a fifth of the whole core's CPU.
``ingest/metadata.py`` reads that author and date only as its last fallbacks (when the page's own
metadata names no person, when neither its metadata nor the text around the headline has a date), so
the text is extracted without metadata and this module makes the same steps in the same order as
``extract_metadata`` (trafilatura 2.3.1), the two guesses on first use, the author search in one walk
over the elements instead of trafilatura's XPaths (``_author_search``: the same answer at 3 ms instead
of 8). The fields and their values are trafilatura's (``tests/ingest/test_trafilatura_metadata.py``
pins them to ``extract_metadata``), minus the ones no event carries (hostname, license, file date).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from copy import deepcopy
from functools import cached_property

from lxml import etree
from lxml.etree import XPath
from lxml.html import HtmlElement
from trafilatura.htmlprocessing import delete_element
from trafilatura.metadata import (
    META_URL,
    block_text,
    examine_meta,
    extract_meta_json,
    extract_sitename,
    extract_title,
    extract_url,
    find_date,
    line_processing,
    normalize_authors,
)
from trafilatura.settings import DEFAULT_CONFIG, Document, set_date_params
from trafilatura.utils import trim

LOGGER = logging.getLogger(__name__)


# trafilatura's byline search (``extract_author``, trafilatura 2.3.1): a copy of the tree without the
# elements of AUTHOR_DISCARD_XPATHS, then the first element of AUTHOR_XPATHS, in order, whose text has
# 3-119 characters. Its five XPaths test a dozen attributes on every element in libxml2's interpreter,
# ``re:test`` through a Python callback (7.9 ms a page over the 1136 corpus + newsbench pages); the same
# tests are made here in one walk over the elements, each attribute read once (3.1 ms, the same
# answer on every page and the same node sets). Each predicate below is the XPath's; ``re:test(@a, p)``
# is ``re.search(p, @a)``, as lxml's EXSLT implementation does it, and an absent attribute is "".
# tests/ingest/test_trafilatura_metadata.py pins the node sets to trafilatura's on a page made for it.
_DISCARD_TAGS = ("a", "div", "section", "span")
_DISCARD_ID = re.compile(r"^comments|comment-?list|ProductReviews")
_DISCARD_CLASS = re.compile(
    r"^[Cc]omments|commentlist|comments-list|sidebar|is-hidden|quote|embedly-instagram|article-(?:share|support)"
    r"|print|category|meta-date|meta-reviewer"
)
_DISCARD_ALWAYS = XPath("//time|//figure")  # AUTHOR_DISCARD_XPATHS[1], after the first one's deletions
_FIRST_TAGS = frozenset({"a", "address", "div", "link", "p", "span", "strong"})
_FIRST_CLASS = re.compile(r"author-?name|AuthorName|authorName")
_SECOND_TAGS = frozenset({"a", "div", "h3", "h4", "p", "span"})
_SECOND_ID = re.compile(r"author|zuozhe|bianji|xiaobian")
_SECOND_CLASS = re.compile(
    r"author|channel-name|zuozhe|bianji|xiaobian|submitted-by|posted-by|journalist-name"
)
_THIRD_ID = re.compile(r"[Aa]uthor")
_THIRD_CLASS = re.compile(r"[Aa]uthor|screenname|writer|[Bb]yline")
AUTHOR_MIN_CHARS, AUTHOR_MAX_CHARS = 3, 119  # extract_author's 2 < len(text) < 120: a name, not a box


def _discarded(element: HtmlElement) -> bool:
    """AUTHOR_DISCARD_XPATHS[0]'s predicate (for a, div, section and span elements)."""
    id_, names = element.get("id", ""), element.get("class", "")
    return (
        (id_ != "" and (id_ == "comments" or _DISCARD_ID.search(id_) is not None))
        or names in ("comments", "title", "date")
        or (names != "" and _DISCARD_CLASS.search(names) is not None)
        or "Figure" in element.get("data-component", "")
    )


def _candidates(root: HtmlElement) -> tuple[list[HtmlElement], list[HtmlElement], list[HtmlElement]]:
    """The elements of each of the three AUTHOR_XPATHS, in document order (no pattern matches an empty
    string, so an absent attribute is not searched)."""
    first: list[HtmlElement] = []
    second: list[HtmlElement] = []
    third: list[HtmlElement] = []
    rel_me = {rel.getparent() for rel in root.iter("rel") if rel.text_content() == "me"}  # the child rel='me'
    for element in root.iter(etree.Element):
        tag = element.tag
        id_, names, itemprop = element.get("id", ""), element.get("class", ""), element.get("itemprop", "")
        if tag == "author" or (
            tag in _FIRST_TAGS
            and (
                element.get("rel") == "author"
                or id_ == "author"
                or names == "author"
                or itemprop == "author name"
                or element.get("data-testid") in ("AuthorCard", "AuthorURL")
                or (names != "" and _FIRST_CLASS.search(names) is not None)
                or element in rel_me
            )
        ):
            first.append(element)
        if tag in _SECOND_TAGS and (
            names in ("byline", "username", "byl", "BBL")
            or "author" in itemprop
            or (id_ != "" and _SECOND_ID.search(id_) is not None)
            or (names != "" and _SECOND_CLASS.search(names) is not None)
        ):
            second.append(element)
        if (
            (names != "" and _THIRD_CLASS.search(names) is not None)
            or (id_ != "" and _THIRD_ID.search(id_) is not None)
            or "author" in itemprop
            or "Byline" in element.get("data-component", "")
        ):
            third.append(element)
    return first, second, third


def _author_search(tree: HtmlElement) -> str | None:
    """``trafilatura.metadata.extract_author(tree)``, computed as described above."""
    pruned = deepcopy(tree)
    for element in [e for e in pruned.iter(*_DISCARD_TAGS) if e is not pruned and _discarded(e)]:
        delete_element(element)
    for element in _DISCARD_ALWAYS(pruned):
        delete_element(element)
    for candidates in _candidates(pruned):
        for element in candidates:
            text = trim(" ".join(element.itertext()))
            if AUTHOR_MIN_CHARS <= len(text) <= AUTHOR_MAX_CHARS:
                return normalize_authors(None, text)
    return None


# trafilatura's category and tag search (``extract_catstags``): the links (a[@href]) inside containers
# marked by class or id, each of CATEGORIES_XPATHS / TAGS_XPATHS in turn until one gives a link whose
# address names the kind ("/category/", "/tags/"). Ten XPaths, each a walk over the page (2.7 ms a page
# over the 1136 corpus + newsbench pages); here one walk finds every XPath's containers (1.2 ms; the
# same links on every page). Each entry is the container step of one XPath (``//div[...]//a[@href]``:
# its tags, None for any, and its predicate on the class and id, "" when absent), in trafilatura's order.
_CONTAINER = tuple[frozenset[str] | None, Callable[[str, str], bool]]
_CATEGORY_META = re.compile(r"^(?:post-?info|post-?meta|meta|entry-meta|entry-info|entry-utility)")
_TAG_META = re.compile(r"^(?:tag|postmeta|meta)")
_DIV, _P = frozenset({"div"}), frozenset({"p"})
_CATEGORY_CONTAINERS: tuple[_CONTAINER, ...] = (
    (_DIV, lambda names, id_: _CATEGORY_META.search(names) is not None or id_.startswith("postpath")),
    (
        _P,
        lambda names, id_: (
            names.startswith(("postmeta", "entry-categories")) or names == "postinfo" or id_ == "filedunder"
        ),
    ),
    (frozenset({"footer"}), lambda names, id_: names.startswith(("entry-meta", "entry-footer"))),
    (
        frozenset({"li", "span"}),
        lambda names, id_: (
            names in ("post-category", "postcategory", "entry-category") or "cat-links" in names
        ),
    ),
    (frozenset({"header"}), lambda names, id_: names == "entry-header"),
    (_DIV, lambda names, id_: names in ("row", "tags")),
)
_TAG_CONTAINERS: tuple[_CONTAINER, ...] = (
    (_DIV, lambda names, id_: names == "tags"),
    (_P, lambda names, id_: names.startswith("entry-tags")),
    (
        _DIV,
        lambda names, id_: (
            names in ("row", "jp-relatedposts", "entry-utility") or _TAG_META.search(names) is not None
        ),
    ),
    (None, lambda names, id_: names == "entry-meta" or "topics" in names or "tags-links" in names),
)
_SECTION_META = XPath('.//head//meta[@property="article:section" or contains(@name, "subject")][@content]')


_KINDS = _CATEGORY_CONTAINERS + _TAG_CONTAINERS
# the entries each tag is tested against (an entry for any tag is tested on every element)
_ENTRIES_BY_TAG = {
    tag: [(i, test) for i, (tags, test) in enumerate(_KINDS) if tags is None or tag in tags]
    for tag in {tag for tags, _ in _KINDS if tags is not None for tag in tags}
}
_ENTRIES_ANY_TAG = [(i, test) for i, (tags, test) in enumerate(_KINDS) if tags is None]


def _containers(tree: HtmlElement) -> tuple[list[list[HtmlElement]], list[list[HtmlElement]]]:
    """Each category entry's and each tag entry's containers, in document order, from one walk (elements
    with a class or an id only: every predicate needs one)."""
    found: list[list[HtmlElement]] = [[] for _ in _KINDS]
    for element in tree.iter(etree.Element):
        names, id_ = element.get("class"), element.get("id")
        if names is None and id_ is None:
            continue
        names, id_ = names or "", id_ or ""
        for index, test in _ENTRIES_BY_TAG.get(element.tag, _ENTRIES_ANY_TAG):
            if test(names, id_):
                found[index].append(element)
    return found[: len(_CATEGORY_CONTAINERS)], found[len(_CATEGORY_CONTAINERS) :]


def _links(containers: list[HtmlElement]) -> list[HtmlElement]:
    """``<containers>//a[@href]``: their descendant links with an address, once each, in document order
    (a later container is either inside an earlier one or after all of it)."""
    links: dict[HtmlElement, None] = {}
    for container in containers:
        links.update(dict.fromkeys(a for a in container.iterdescendants("a") if a.get("href") is not None))
    return list(links)


def _categories_or_tags(tree: HtmlElement, kind: str, containers: list[list[HtmlElement]]) -> list[str]:
    """``trafilatura.metadata.extract_catstags(kind, tree)`` from the containers of ``kind``'s XPaths."""
    address = re.compile("/" + kind.rstrip("y") + "(?:y|ies|s)?/")
    results: list[str] = []
    for found in containers:
        results.extend(block_text(a) for a in _links(found) if address.search(a.attrib["href"]))
        if results:
            break
    if kind == "category" and not results:
        results.extend(element.attrib["content"] for element in _SECTION_META(tree))
    return [r for r in dict.fromkeys(line_processing(x) for x in results if x) if r]


def _trimmed(value: str | None) -> str | None:
    """``value`` as ``Document.clean_and_trim`` leaves a field (length limit, entities, whitespace)."""
    holder = Document()
    holder.author = value
    holder.clean_and_trim()
    return holder.author


class TrafilaturaMetadata:
    """The fields of ``extract_metadata(tree, url, <bare_extraction's date parameters>)`` that events use;
    ``author`` and ``date`` are searched for on first use. Read it before the tree is changed."""

    def __init__(self, tree: HtmlElement | None, url: str | None) -> None:
        """``tree`` None: no metadata (what ``bare_extraction`` gives when it finds no text)."""
        self._tree = tree
        metadata = Document()
        self._search_author = False
        self._date_url: str | None = None
        if tree is not None:
            metadata = examine_meta(tree)
            if metadata.author and " " not in metadata.author:
                metadata.author = None
            try:
                metadata = extract_meta_json(tree, metadata)
            except Exception as err:  # as trafilatura: bugs in its json_metadata.py
                LOGGER.warning("error in JSON metadata extraction: %s", err)
            if not metadata.title:
                metadata.title = extract_title(tree)
            self._search_author = not metadata.author
            if not metadata.url:
                metadata.url = extract_url(tree, url)
            self._date_url = metadata.url
            if not metadata.sitename:
                metadata.sitename = extract_sitename(tree)
            if metadata.sitename:
                metadata.sitename = metadata.sitename.lstrip("@")
                if metadata.sitename and "." not in metadata.sitename and not metadata.sitename[0].isupper():
                    metadata.sitename = metadata.sitename.title()
            elif metadata.url:
                found = META_URL.match(metadata.url)
                if found:
                    metadata.sitename = found[1]
            if not metadata.categories or not metadata.tags:
                category_containers, tag_containers = _containers(tree)
                if not metadata.categories:
                    metadata.categories = _categories_or_tags(tree, "category", category_containers)
                if not metadata.tags:
                    metadata.tags = _categories_or_tags(tree, "tag", tag_containers)
            metadata.clean_and_trim()
        self.title: str | None = metadata.title
        self.url: str | None = metadata.url
        self.sitename: str | None = metadata.sitename
        self.description: str | None = metadata.description
        self.image: str | None = metadata.image
        self.categories: list[str] = metadata.categories or []
        self.tags: list[str] = metadata.tags or []
        self._author: str | None = metadata.author

    @cached_property
    def author(self) -> str | None:
        """The meta tags' or JSON-LD's author, else trafilatura's search of the byline markup."""
        if self._search_author and self._tree is not None:
            return _trimmed(_author_search(self._tree))
        return self._author

    @cached_property
    def date(self) -> str | None:
        """htmldate's publication date of the page (YYYY-MM-DD)."""
        if self._tree is None:
            return None
        params = set_date_params(DEFAULT_CONFIG.getboolean("DEFAULT", "EXTENSIVE_DATE_SEARCH"))
        return _trimmed(find_date(self._tree, **{**params, "url": self._date_url}))
