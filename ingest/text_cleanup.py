"""News-specific cleanup of extracted paragraphs: what trafilatura leaves of a page's furniture.

Each rule drops whole short lines only (a real paragraph is never cut), and each is generic: it
names a kind of furniture (comment prompts, "read more" teasers, related-post headers, newsletter
calls, share bars, image credits, bylines, datelines), never
a site. Measured with ``python -m bench.extraction_quality`` (docs/extraction.md).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

# Only lines up to this length are tested against the boilerplate patterns: real paragraphs that
# happen to start with "Lesen Sie" or mention comments are long; the leftovers are one-liners.
MAX_BOILERPLATE_LINE_CHARS = 160

# A byline or dateline row is short: "By Jane Doe and John Roe, Reuters | Updated 12 March 2024, 10:15".
MAX_BYLINE_CHARS = 120

_BOILERPLATE_LINE = re.compile(
    r"""^(
        (\d+\s+)?(comments?|kommentare?|commentaires?|komentarze?)\s*$
        | (post|leave|write|add|publier|schreib|verfassen|hinterlasse)\b.{0,30}(comment|kommentar|commentaire)
        | .{0,40}\b(kommentar|comment)\w*\s+(verfassen|schreiben|abgeben)\b
        | (please\s+)?(log\s*in|sign\s*in|anmelden|registrieren|eingeloggt).{0,60}(comment|kommentar)
        | .{0,40}(müssen|musst)\s+(sich\s+)?(angemeldet|eingeloggt|anmelden).{0,40}$
        | (read|lesen\s+sie|lies)\s+(more|also|auch|hier|mehr|weiter)\b.{0,120}$
        | (à\s+lire\s+aussi|lire\s+aussi|voir\s+aussi|czytaj\s+(też|także|więcej)|dowiedz\s+się\s+więcej
           |mehr\s+zum\s+thema|weitere\s+themen|empfohlene\s+beiträge|related\s+(posts|articles|stories)
           |you\s+may\s+also\s+like|das\s+könnte\s+sie\s+auch\s+interessieren|auch\s+interessant)\b.{0,120}$
        | .{0,40}(newsletter|never\s+miss).{0,80}(sign\s*up|subscribe|abonnieren|anmelden|today)\W*$
        | (sign\s*up|subscribe)\b.{0,40}newsletter.{0,40}$
        | (foto|fot\.|photo|bild|titelbild|crédits?\s+photos?|image|picture)\s*:.{0,80}$
        | ©.{0,80}$
        | (bild|video)\s+anzeigen\s*$
        | >>.{0,120}<<\s*$
        | share\s+(this|on)\b.{0,40}$
        | (share|teilen|partager|compartir|condividi|del|dela)\s*(:|\s(on|via|auf|sur|en)\b).{0,60}$
        | ((facebook|twitter|x|whatsapp|e-?mail|linkedin|telegram|reddit|pinterest|copy\s+link|link\s+kopieren
            |messenger|threads|bluesky|flipboard|print|drucken)[\s,|·•/]*){2,}$
        | [(\[]?(photo|foto|bild|image|picture|credit|crédit|quelle|source)s?\s*(:|/|by|von)\s.{0,80}[)\]]?$
        | .{0,80}\b(getty\s+images|dpa|afp|reuters|keystone|imago|shutterstock|ap\s+photo|epa)
           (\s*/\s*\S.{0,40})?$
        | (updated|aktualisiert|published|veröffentlicht|publié|mis\s+à\s+jour|stand)\s*:?\s*.{0,60}\d.{0,40}$
        | \d+\s*(min(ute)?s?|minuten?)\.?\s+(read|lesezeit|lesen|de\s+lecture)\s*$
        | (lesezeit|reading\s+time|temps\s+de\s+lecture)\s*:?\s*\d+.{0,20}$
    )""",
    re.IGNORECASE | re.VERBOSE,
)

# A line that is only a date and/or time: "12.03.2024, 10:15 Uhr", "March 12, 2024", "2024-03-12 10:15".
# Without known authors, a line starting with "By"/"Von" is a byline only if it is this short (a name
# or two); longer ones are sentences ("Von Berlin aus fährt der Zug ...").
MAX_BYLINE_WORDS_WITHOUT_AUTHORS = 6

_DATELINE = re.compile(
    r"^[\W_]*(?:\w+,?\s+)?(?:\d{1,2}[./]\s?\d{1,2}[./]\s?\d{2,4}|\d{4}-\d\d-\d\d|\d{1,2}\.?\s+\w+\.?\s+\d{4}"
    r"|\w+\.?\s+\d{1,2},?\s+\d{4})(?:[,\s|–-]+(?:um\s+)?\d{1,2}[:.]\d\d(?:\s*(?:uhr|h|am|pm|[a-z]{2,4}))?)?[\W_]*$",
    re.IGNORECASE,
)
_BYLINE_START = re.compile(
    r"^(?:by|von|par|por|door|av|di|af|text|texto|autor(?:in)?|author)\b\s*:?\s*", re.I
)


def _key(text: str) -> str:
    return "".join(ch for ch in text.casefold() if ch.isalnum())


def is_boilerplate(line: str) -> bool:
    """A short line that is page furniture (see the module doc)."""
    if len(line) > MAX_BOILERPLATE_LINE_CHARS:
        return False
    return _BOILERPLATE_LINE.match(line) is not None or _DATELINE.match(line) is not None


def is_byline(line: str, authors: Sequence[str]) -> bool:
    """A short row crediting the authors: "By Jane Doe", "Jane Doe | 12.03.2024", "Von A und B"."""
    if len(line) > MAX_BYLINE_CHARS:
        return False
    starts_like_byline = _BYLINE_START.match(line) is not None
    names = [_key(a) for a in authors if len(_key(a)) > 3]
    key = _key(line)
    if names and all(name in key for name in names[:1]):
        rest = key
        for name in names:
            rest = rest.replace(name, "")
        return starts_like_byline or len(rest) <= len(key) // 2
    return starts_like_byline and len(line.split()) <= MAX_BYLINE_WORDS_WITHOUT_AUTHORS


def clean_paragraphs(paragraphs: Sequence[str], authors: Sequence[str]) -> list[str]:
    """The paragraphs without furniture lines."""
    return [p for p in paragraphs if not is_boilerplate(p) and not is_byline(p, authors)]
