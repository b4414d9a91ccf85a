"""Untrusted text -> safe HTML (pure). Every string of an article is hostile until escaped here or by
Jinja's autoescape; the only tags the page ever emits inside article text are its own ``<mark>``.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

from markupsafe import Markup, escape

# Elasticsearch's html encoder escapes the text and wraps matches in <em>...</em>; anything else that
# looks like a tag is text. We split on exactly those two tags and escape every piece again ourselves.
EM_TAG = re.compile(r"(</?em>)")
SAFE_SCHEMES = frozenset({"http", "https"})
# Entity highlighting scans the whole text once with one pattern; past this many characters (a book, not
# an article: the corpus's longest text is ~60k) the text is shown unmarked.
MAX_MARKED_CHARS = 300_000
# Names shorter than this ("EU" stays, "A" goes) would mark half the words of a text.
MIN_ENTITY_CHARS = 2


def highlight(fragment: str) -> Markup:
    """An Elasticsearch highlight fragment as HTML with ``<mark>`` for matches and nothing else raw."""
    out: list[str] = []
    inside = False
    for piece in EM_TAG.split(fragment):
        if piece == "<em>":
            inside = True
        elif piece == "</em>":
            inside = False
        elif piece:
            text = escape(html.unescape(piece))
            out.append(f"<mark>{text}</mark>" if inside else str(text))
    return Markup("".join(out))


def safe_href(url: str | None) -> str | None:
    """``url`` when it is an absolute http(s) URL a reader may follow; None for ``javascript:``,
    ``data:``, relative or malformed URLs (the page then shows the URL as text, not as a link)."""
    if not url:
        return None
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    if parts.scheme.lower() not in SAFE_SCHEMES or not parts.netloc or any(c in url for c in "\r\n\t"):
        return None
    return url.strip()


@dataclass(frozen=True)
class NamedEntity:
    name: str  # canonical name (what the facets count)
    kind: str  # facet name: persons, organisations, locations, ...
    forms: tuple[str, ...]  # every surface form to mark, the name included


def mark_entities(text: str, entities: Iterable[NamedEntity]) -> list[Markup]:
    """The text's paragraphs as HTML, each mention of an entity in ``<mark class="ent ent-KIND">``."""
    forms = {}
    for entity in entities:
        for form in (entity.name, *entity.forms):
            if len(form) >= MIN_ENTITY_CHARS:
                forms.setdefault(form, entity)
    paragraphs = [p for p in re.split(r"\n\s*\n", text) if p.strip()]
    if not forms or len(text) > MAX_MARKED_CHARS:
        return [Markup(escape(p)) for p in paragraphs]
    # Longest forms first, so "Angela Merkel" wins over "Merkel" at the same place; whole words only.
    alternatives = "|".join(re.escape(f) for f in sorted(forms, key=len, reverse=True))
    pattern = re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)")
    return [Markup(_marked(p, pattern, forms)) for p in paragraphs]


def _marked(paragraph: str, pattern: re.Pattern[str], forms: dict[str, NamedEntity]) -> str:
    out, last = [], 0
    for match in pattern.finditer(paragraph):
        entity = forms[match.group(0)]
        out.append(str(escape(paragraph[last : match.start()])))
        out.append(
            f'<mark class="ent ent-{escape(entity.kind)}" title="{escape(entity.name)}">'
            f"{escape(match.group(0))}</mark>"
        )
        last = match.end()
    out.append(str(escape(paragraph[last:])))
    return "".join(out)
