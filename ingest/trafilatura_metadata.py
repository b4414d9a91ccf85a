"""trafilatura's own metadata of a page, with its two costly guesses made only when they are read.

``bare_extraction(..., with_metadata=True)`` runs ``trafilatura.metadata.extract_metadata`` before the
text extraction: meta tags, JSON-LD, title, canonical URL, site name, categories and tags, and two
guesses that search the page: the author from byline markup (``extract_author``: a copy of the tree,
pruned and searched, ~6.6 ms on the pages whose meta tags and JSON-LD name nobody) and the date
(htmldate's ``find_date``, ~2.9 ms a page): together ~10 ms a page, a fifth of the whole core's CPU.
``ingest/metadata.py`` reads that author and date only as its last fallbacks (when the page's own
metadata names no person, when neither its metadata nor the text around the headline has a date), so
the text is extracted without metadata and this module makes the same steps in the same order as
``extract_metadata`` (trafilatura 2.3.1), the two guesses on first use. The fields and their values are
trafilatura's (``tests/ingest/test_trafilatura_metadata.py`` pins them to ``extract_metadata``), minus
the ones no event carries (hostname, license, file date).
"""

from __future__ import annotations

import logging
from functools import cached_property

from lxml.html import HtmlElement
from trafilatura.metadata import (
    META_URL,
    examine_meta,
    extract_author,
    extract_catstags,
    extract_meta_json,
    extract_sitename,
    extract_title,
    extract_url,
    find_date,
)
from trafilatura.settings import DEFAULT_CONFIG, Document, set_date_params

LOGGER = logging.getLogger(__name__)


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
            if not metadata.categories:
                metadata.categories = extract_catstags("category", tree)
            if not metadata.tags:
                metadata.tags = extract_catstags("tag", tree)
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
            return _trimmed(extract_author(self._tree))
        return self._author

    @cached_property
    def date(self) -> str | None:
        """htmldate's publication date of the page (YYYY-MM-DD)."""
        if self._tree is None:
            return None
        params = set_date_params(DEFAULT_CONFIG.getboolean("DEFAULT", "EXTENSIVE_DATE_SEARCH"))
        return _trimmed(find_date(self._tree, **{**params, "url": self._date_url}))
