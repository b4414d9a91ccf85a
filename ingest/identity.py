"""Who an article is: its canonical URL, the stable id derived from it, and its source domain.

The id must not change when the same article is fetched again through another link (tracking
parameters, ``www.`` or not, a fragment, upper-case host), so it is a hash of the normalised
canonical URL.
"""

from __future__ import annotations

import hashlib
from urllib.parse import urljoin, urlsplit, urlunsplit

from courlan import normalize_url

# 128 bits of sha256: collision-free in practice for billions of URLs, and short enough to be a
# readable Kafka key and Elasticsearch _id (the event schema pins ``^[0-9a-f]{32}$``).
ARTICLE_ID_HEX_CHARS = 32


def normalize(url: str) -> str:
    """Normalised form of an absolute URL: lower-case scheme/host, default port, dot segments,
    tracking parameters (utm_*, fbclid, ...) removed, remaining query sorted, no fragment."""
    normalised = normalize_url(url.strip())
    parts = urlsplit(normalised)
    path = urlsplit(urljoin(normalised, parts.path or "/")).path if ".." in parts.path else parts.path
    return urlunsplit((parts.scheme, parts.netloc, path, parts.query, ""))


def canonical_url(page_url: str, declared: str | None = None) -> str:
    """The page's own ``rel=canonical``/``og:url`` when it is usable, else the page URL; normalised.

    A declared canonical is ignored when it is not an absolute http(s) URL, or when it points to a
    site's front page while the page itself is deeper: a frequent CMS template mistake that would
    otherwise give every article of the site the same id.
    """
    if declared:
        candidate = urljoin(page_url, declared.strip())
        parts = urlsplit(candidate)
        is_front_page = parts.path in ("", "/") and not parts.query
        page_is_deeper = urlsplit(page_url).path not in ("", "/")
        if parts.scheme in ("http", "https") and parts.netloc and not (is_front_page and page_is_deeper):
            return normalize(candidate)
    return normalize(page_url)


def article_id(canonical: str) -> str:
    """Stable article id: the first 32 hex chars of sha256 over the canonical URL."""
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:ARTICLE_ID_HEX_CHARS]


def source_domain(url: str) -> str:
    """Host of the URL, lower-case, without port and without a leading ``www.``."""
    host = (urlsplit(url).hostname or "").lower()
    return host.removeprefix("www.")
