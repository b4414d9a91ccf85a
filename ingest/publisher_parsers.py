"""Optional, off by default: hand-written publisher parsers (``fundus``) on top of the generic path.

When ``NEWSFLOW_PUBLISHER_PARSERS=true`` and fundus is installed (``infra/setup.sh --with-fundus``),
a page from a publisher fundus knows (matched by host) gets fundus's body, title, authors and
publication date in place of the generic ones; every other page, and every field fundus leaves
empty, keeps the generic answer. The page-type and quality rejections of the generic path still
apply first: a parser does not turn a listing into an article.

Why optional: fundus 0.5.7 declares ``lxml<6`` while trafilatura needs ``lxml>=6``; its parsers were
run under lxml 6.2.1 on all 252 newsbench pages without an error (docs/extraction.md), but the pin
means pip cannot install it next to trafilatura without ``--no-deps``. Figures with it are reported
apart from the generic path's, and on newsbench they are in-sample (newsbench's references are
fundus's own parser outputs).
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Mapping
from datetime import datetime
from functools import cache
from typing import Any

from ingest.extract import Extracted
from ingest.identity import source_domain
from ingest.quality import ExtractionInfo

METHOD = "fundus"

log = logging.getLogger(__name__)


@cache
def available() -> bool:
    """fundus is importable (asked once per process: a failed import searches sys.path again each time)."""
    try:
        import fundus  # noqa: F401  (optional: infra/setup.sh --with-fundus)
    except ImportError:
        return False
    return True


def usable() -> bool:
    """``available()``, for a caller asked to use the parsers: with the setting on, a missing fundus is a
    configuration mistake, said once per process with what to do; every page keeps the generic path."""
    if available():
        return True
    _warn_missing()
    return False


@cache
def _warn_missing() -> None:
    try:
        import fundus  # noqa: F401
    except ImportError as error:
        log.warning(
            "NEWSFLOW_PUBLISHER_PARSERS is on but fundus cannot be imported (%s): pages use the generic "
            "extraction. Install it with `bash infra/setup.sh --with-fundus`, or unset the setting.",
            error,
        )


@cache
def _publishers() -> Mapping[str, Any]:
    """fundus publishers by host (their domain and former domains), built once per process."""
    from fundus import PublisherCollection

    by_host: dict[str, Any] = {}
    for publisher in PublisherCollection:
        for domain in (publisher.domain, *getattr(publisher, "deprecated_domains", ())):
            by_host.setdefault(source_domain(domain), publisher)
    return by_host


def publisher_for(url: str) -> Any | None:
    """The fundus publisher of a URL's host, or of its parent domain ("edition.cnn.com" -> "cnn.com")."""
    labels = source_domain(url).split(".")
    for start in range(len(labels) - 1):
        publisher = _publishers().get(".".join(labels[start:]))
        if publisher is not None:
            return publisher
    return None


def refine(article: Extracted, html: str, url: str) -> Extracted:
    """The article with the publisher parser's fields where it has them; unchanged when there is no
    parser for the site, when the parser fails, or when it finds no body."""
    publisher = publisher_for(url)
    if publisher is None:
        return article
    try:
        parsed = publisher.parser().parse(html, error_handling="suppress")  # the newest parser version
    except Exception:  # a parser bug must not lose the generic article
        return article
    body = parsed.get("body")
    paragraphs = [p for p in (body.as_text_sequence() if body else ()) if p.strip()]
    if not paragraphs:
        return article
    title = parsed.get("title")
    authors = tuple(a for a in parsed.get("authors") or () if isinstance(a, str) and a.strip())
    published = parsed.get("publishing_date")
    return dataclasses.replace(
        article,
        text="\n\n".join(" ".join(p.split()) for p in paragraphs),
        title=title if isinstance(title, str) and title.strip() else article.title,
        authors=authors or article.authors,
        published_at=published if isinstance(published, datetime) else article.published_at,
        extraction=ExtractionInfo(METHOD, article.extraction.quality),
    )
