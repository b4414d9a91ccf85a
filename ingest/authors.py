"""Author candidates of a page -> a clean tuple of names (no "By", no dates, no outlet next to people).

Source order: the JSON-LD article's ``author`` (typed: Person or Organization), then author meta tags,
then trafilatura's byline heuristics. The first source that names a person is used, whole: sources
are not mixed, since each lists the same people in its own spelling. One exception: when the page's
visible byline shows that person in a stacked list of names (one element per person, same markup),
the others in the list are co-authors the machine-readable source left out, and are added. When
trafilatura's guess is chosen and a visible byline element shows the same name without the label the
guess glued before it, the element's name is taken.

Outlets: the site's own name, and an untyped organisation, are dropped when the same source also
names a person (the publisher next to the journalist is not an author); a typed organisation that
is not the site (an agency in JSON-LD) stays next to the people (KEEP_AGENCY_NEXT_TO_PEOPLE). A
source naming only outlets is passed over for a later one naming a person; when no source names a
person, the first outlet credit is kept (an agency, "Redaktion", the outlet), as the page shows it.
When no source credits anyone, a "By Name" line under the headline without byline markup is read.
When no source names a person, credits in markup that is no byline element (``bylines.credit_lines``:
an author-page link between the headline and the text, an "Author:" label with the name after it,
a bold paragraph of names opening the text, a "Name |" row before a date) may name one.
Small sites (session 9): the page's spelling of a name beats trafilatura's capitalised guess
(PAGE_SPELLING_WINS), and a guess that names a commenter is no credit (SKIP_COMMENT_AUTHOR_GUESS).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from typing import NamedTuple

from ingest.dates import WEEKDAYS

# Words that introduce a byline in the languages of the corpus and newsbench.
_BYLINE_PREFIX = re.compile(
    r"^(?:(?:article|story|text|written|posted|reported|words|fotos?|photos?|recipe"
    r"|(?:view\s+)?all\s+posts|(?:zeige\s+)?alle\s+beiträge|more\s+posts|beiträge)\s+)?"
    r"(?:by|von|par|por|door|av|di|af|da|de|autor(?:in)?|author|text|texto|verfasst\s+von|quelle|source|fuente)\b"
    r"\s*[:\-–]?\s*",
    re.IGNORECASE,
)
# Joiners between names in one string ("A and B", "A und B", "A og B", "A y B", "A & B").
_JOINERS = re.compile(r"\s*;\s*|\s+(?:and|und|og|och|y|et|e|en|i)\s+|\s*&\s*|\s*\|\s*", re.IGNORECASE)
# An e-mail address, also as Cloudflare's e-mail protection shows it in the page ("[email protected]").
_EMAIL = re.compile(r"\S+@\S+\.\w+|\[email\s+protected\]", re.IGNORECASE)
# A web address, also as trafilatura's author guess rewrites it ("www.site.pl" -> "Www Site Pl").
_URL = re.compile(r"^(?:https?://|www[.\s])|^\S+\.(?:com|de|org|net)/", re.IGNORECASE)
# Trailing dates/times ("Jane Doe 12.03.2024", "Jane Doe, 3 March 2024, 10:00") and role tails.
# A short parenthesised tail is an editor's initials or the site's address: "Jane Doe (jdo)".
_TRAILING_PAREN = re.compile(r"\s*\([^()]{1,30}\)\s*$")
# The word that introduces the date goes with it ("dpa am 25.01.2022", "Jane Doe on 12/03/2024").
_TRAILING_DATE = re.compile(
    r"[\s,|–-]+(?:(?:am|on|le|el|em|il|op|den|vom|at)\s+)?"
    r"(?:\d{1,2}[./]\d{1,2}[./]\d{2,4}|\d{1,2}:\d\d|\d{4}-\d\d-\d\d).*$",
    re.IGNORECASE,
)
_ROLE_ONLY = re.compile(
    r"^(?:journalist|reporter|redakteur(?:in)?|korrespondent(?:in)?|correspondent|editor|autor(?:in)?|author"
    r"|staff|contributor|columnist|photographer|fotograf(?:in)?)$",
    re.IGNORECASE,
)
# A date label left once its date is cut ("Veröffentlicht am 27.04.24" -> "Veröffentlicht am").
_DATE_LABEL = re.compile(
    r"^(?:veröffentlicht|publiziert|erschienen|published|posted|updated|aktualisiert|publié|mis\s+à\s+jour|stand"
    r"|publicado)\b",
    re.I,
)
# Weekdays written out (the abbreviations "Sun", "Sat" may be names or outlets).
_WEEKDAY_NAMES = frozenset(day for day in WEEKDAYS if len(day) > len("tues"))
NO_FORM_LABELS = True
"""A comment form's field label is no credit: trafilatura's byline guess and byline markup take "Name",
"Name *" from the "Leave a reply" form under blog posts (the guard set's and the corpus's blogs)."""
_FORM_LABEL = re.compile(r"^(?:your\s+)?(?:name|nom|nombre|nome|naam|navn|namn|imię|nimi)\s*\*?$", re.I)
# A site's footer and theme credits in the author meta tag: the web agency, the theme's author, the copyright
# holder ("Theme: Pirate Rogue von xwolf", "Copyright Haufe-Lexware GmbH & Co KG"), never the article's.
_SITE_CREDIT = re.compile(r"^(?:©|\(c\)|copyright\b|theme\b|powered\s+by\b|web\s*design\b)", re.IGNORECASE)


class Byline(NamedTuple):
    """One visible byline element's text; elements with the same ``group`` sit in one container
    (a stacked author list: one element per person)."""

    text: str
    group: int


# In an untyped source a person's name has at least this many words (see _clean_source).
MIN_UNTYPED_PERSON_WORDS = 2
# Scripts written without spaces between words: a one-"word" name there is a full name ("松岡大地").
_UNSPACED_SCRIPT = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af\u0e00-\u0e7f]")
# A name longer than this is a sentence or a job description, not a byline credit.
MAX_NAME_CHARS = 60


# Domains spell umlauts as digraphs ("boersen-zeitung.de" for "Börsen-Zeitung"), other names drop accents.
_DIGRAPHS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "æ": "ae", "ø": "oe", "å": "aa"})


def name_key(text: str) -> str:
    """Lower-case alphanumerics, umlauts as digraphs ("Börsen-Zeitung" -> "boersenzeitung"): how a credit
    and the site's names (metadata's site keys) are compared."""
    return "".join(ch for ch in text.casefold().translate(_DIGRAPHS) if ch.isalnum())


def name_keys(text: str) -> set[str]:
    """The key, and the key with accents dropped ("Zürich" -> "zuerich", "zurich")."""
    plain = "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch))
    return {name_key(text), "".join(ch for ch in plain.casefold() if ch.isalnum())}


# A social handle or a reading-time label glued after the name ("Jane Doe @janedoe", "Jane Doe Tiempo de
# lectura", "Jane Doe 3 min read"): the byline row's other fields, not part of the name.
_TRAILING_FIELD = re.compile(
    r"\s+(?:@\w+|(?:\d+\s*)?(?:min(?:ute)?s?\.?\s+read|tiempo\s+de\s+lectura|lesezeit|leestijd|temps\s+de\s+lecture)"
    r"\b.*)$",
    re.IGNORECASE,
)


def clean_name(raw: str) -> str | None:
    """One credit as a name, or None when nothing name-like is left."""
    name = _TRAILING_FIELD.sub("", _EMAIL.sub("", " ".join(raw.split())))
    name = _TRAILING_PAREN.sub("", _TRAILING_DATE.sub("", name))
    previous = None
    while previous != name:
        previous, name = name, _BYLINE_PREFIX.sub("", name).strip(" ,:-–|")
    if not name or _URL.search(name) or len(name) > MAX_NAME_CHARS or not any(ch.isalpha() for ch in name):
        return None
    if NO_FORM_LABELS and _FORM_LABEL.match(name):
        return None
    if name.casefold() in _WEEKDAY_NAMES:
        return None  # the weekday left of a date line once its date is cut ("Donnerstag, 12. Mai 2022")
    if _ROLE_ONLY.match(name) or _DATE_LABEL.match(name) or name[0].isdigit():
        return None  # a role, a date label, or a time/counter ("03:07 Min.") is no name ("BR24 Redaktion" is)
    return name


def _split(raw: str) -> list[str]:
    """Names joined by "and", ";", "&" or commas; "Brazil, Rachel" (two single words) stays one name."""
    parts = [part.strip() for part in _JOINERS.split(raw) if part.strip()]
    split = [piece.strip() for part in parts for piece in part.split(",") if piece.strip()]
    if len(split) == 2 and len(parts) == 1 and all(" " not in piece for piece in split):
        return parts
    return split


def _names_site(name: str, site_keys: set[str]) -> bool:
    """The site's own name, or a name with a word that is ("MDR THÜRINGEN" on mdr.de, "n-tv NACHRICHTEN")."""
    words = re.split(r"[\s/]+", name)
    return name_key(name) in site_keys or any(name_key(word) in site_keys for word in words)


COMPANIES_ARE_NO_AUTHORS = True
"""A credit naming a company by its legal form ("wegewerk GmbH", "Olympia-Verlag GmbH, Nürnberg, Germany",
"Acme Media Ltd") is the publisher's legal entity or the web agency that built the site, put in the author
meta tag by a CMS or a theme, not the article's author: in an untyped source (meta tag, trafilatura's guess,
byline markup) the whole credit is dropped; in JSON-LD, where the page typed it, it counts as an organisation
(an outlet credit, kept only when no source names a person)."""
# Legal forms of companies at the end of a name (German, English, Romance, Dutch, Nordic, Polish).
# The two-letter forms only in capitals ("AG", "SE": a name part "Se" is none), the others in any case
# (trafilatura's guess capitalises "Wegewerk Gmbh").
_LEGAL_FORM = re.compile(
    r"\b(?:(?i:g?gmbh|mbh|kgaa|ltd|llc|inc|corp|plc|s\.\s?a|s\.\s?l|s\.\s?p\.\s?a|s\.\s?r\.\s?l|b\.\s?v"
    r"|n\.\s?v|sp\.\s?z\s?o\.\s?o)|AG|KG|SE|Oy|A/S)\.?(?i:\s*&\s*co\.?(?:\s*kg)?)?$"
)

KEEP_AGENCY_NEXT_TO_PEOPLE = True
"""A typed organisation credited next to a person (JSON-LD ``author`` holding a Person and an
Organization) is kept when it is not the site itself: it is a news agency or partner outlet the
article is co-written with ("Deutsche Presse-Agentur" and a local desk). The site's own name next to
its journalist is the publisher, not an author, and is still dropped. Measured on newsbench
(docs/extraction-log.md, session 8): +1 page on each half, none lost."""


def _clean_source(
    credits: Iterable[tuple[str, bool]], site_keys: set[str], typed: bool = True
) -> tuple[tuple[str, ...], bool]:
    """The cleaned names of one source, and whether any of them is a person.

    An untyped source (meta tag, byline element, trafilatura's guess) names a person only with a name
    of at least two words: single words there are initials, desks and places ("amw", "Red",
    "Agenturen", "Frankfurt"), kept only when no source names anyone better.
    """
    names: dict[str, tuple[str, bool, bool]] = {}  # key -> (name, is a person, is another outlet)
    for raw, is_person in credits:
        if _SITE_CREDIT.match(raw.strip()):
            continue
        cleaned = [name for part in _split(raw) if (name := clean_name(part))]
        companies = [COMPANIES_ARE_NO_AUTHORS and _LEGAL_FORM.search(name) is not None for name in cleaned]
        if any(companies) and not typed:
            continue  # an imprint line: "Olympia-Verlag GmbH, Nürnberg, Germany"
        for name, company in zip(cleaned, companies, strict=True):
            if name_key(name) not in names:
                own_site = _names_site(name, site_keys)
                one_word = len(name.split()) < MIN_UNTYPED_PERSON_WORDS and not _UNSPACED_SCRIPT.search(name)
                person = is_person and not own_site and not company and (typed or not one_word)
                agency = KEEP_AGENCY_NEXT_TO_PEOPLE and typed and not is_person and not own_site
                names[name_key(name)] = (name, person, agency)
    if any(person for _, person, _ in names.values()):
        return tuple(name for name, person, agency in names.values() if person or agency), True
    return tuple(name for name, _, _ in names.values()), False


# A stacked author list holds one person per element; a member whose "name" is longer than this is
# a teaser headline or a sentence, and the group is no author list. Four words cover the longest
# names in the corpus and newsbench ("Anna Giulia Fink", "María José García López").
MAX_GROUP_NAME_WORDS = 4


# A credit for a picture, shown in the same markup as bylines ("Foto: REUTERS/Jane Doe").
_PICTURE_CREDIT = re.compile(r"^\s*(?:foto|photo|bild|image|picture|zdjęcie|fot)\b\s*[:.]", re.IGNORECASE)
# A job title with up to two qualifiers ("Political Correspondent", "Senior News Reporter").
_ROLE = re.compile(
    r"^(?:[\w-]+\s+){0,2}(?:journalist|reporter|redakteur(?:in)?|korrespondent(?:in)?|correspondent|editor"
    r"|autor(?:in)?|author|contributor|columnist|photographer|fotograf(?:in)?|writer)s?$",
    re.IGNORECASE,
)


def _looks_like_name(name: str) -> bool:
    """A person's name in a byline group: at most MAX_GROUP_NAME_WORDS words, starting with a capital
    (or in a script without case): "přihlaste se" ("log in") or a teaser headline is none."""
    return len(name.split()) <= MAX_GROUP_NAME_WORDS and not name[0].islower()


def _group_people(bylines: Sequence[Byline], chosen: tuple[str, ...], site_keys: set[str]) -> tuple[str, ...]:
    """The people of the byline group that credits the first chosen person, if the group is a clean
    author list (every member names people only, none of them sentence-long); else ()."""
    first = name_key(chosen[0])
    anchor = next((b.group for b in bylines if first and first in name_key(b.text)), None)
    members = [b for b in bylines if b.group == anchor]
    if sum(_TRAILING_DATE.search(b.text) is not None for b in members) > 1:
        return ()  # each member with a date of its own: article cards ("Von Jane Doe am 08.12.2022"), no list
    people: list[str] = []
    for byline in members:
        names, has_person = _clean_source([(byline.text, True)], site_keys, typed=False)
        if not names:
            continue  # "By", a date stamp
        if _PICTURE_CREDIT.match(byline.text) or all(_ROLE.match(name) for name in names):
            continue  # a photo credit or a job title shown next to the name
        if not has_person or any(not _looks_like_name(name) for name in names):
            return ()
        people += names
    return tuple(people)


def _with_more_people(chosen: tuple[str, ...], group: tuple[str, ...]) -> tuple[str, ...]:
    """``chosen`` with the people its visible byline group adds, when the group names every chosen
    person too. Machine-readable sources often credit only the first of several authors while the
    page shows all of them. The chosen source's spelling is kept, the byline's order."""
    spelling = {name_key(name): name for name in chosen}
    keys = [name_key(name) for name in group]
    if len(set(keys)) <= len(spelling) or not spelling.keys() <= set(keys):
        return chosen
    return tuple(dict.fromkeys(spelling.get(key, name) for key, name in zip(keys, group, strict=True)))


def _visible_name_at_end(
    guessed: tuple[str, ...], bylines: Sequence[Byline], site_keys: set[str]
) -> tuple[str, ...]:
    """trafilatura's byline guess glues neighbouring labels to the name ("capital" and "von Jemima
    Kelly" -> "Capital Von Jemima Kelly"): when the guess is one name that ends with the one person a
    visible byline element names, that element's name is the author."""
    if len(guessed) != 1:
        return guessed
    guess = name_key(guessed[0])
    for byline in bylines:
        names, has_person = _clean_source([(byline.text, True)], site_keys, typed=False)
        if not has_person or len(names) != 1:
            continue
        if guess != name_key(names[0]) and guess.endswith(name_key(names[0])):
            return names
        if PAGE_SPELLING_WINS and guess == name_key(names[0]):
            return names
    return guessed


PAGE_SPELLING_WINS = True
"""trafilatura capitalises the names it guesses ("flerche" -> "Flerche", "e. barreneche" -> "E. Barreneche"):
when a visible byline element shows the guessed name (the same name key), the page's spelling is kept.
Account names and handles of small sites are written in lower case (docs/extraction-log.md, "Session 9:
authors on small sites")."""

BYLINE_BEATS_GUESSED_OUTLET = True
"""When no source names a person and the only other credit is trafilatura's guess (a one-word credit it
found somewhere on the page: a form label, a name cut short), the credit of the page's first byline element
wins: the markup says it is the byline, the guess is a heuristic (docs/extraction-log.md, "Session 13:
metadata")."""

SKIP_COMMENT_AUTHOR_GUESS = True
"""trafilatura's byline guess reads the whole page: on blogs without a byline it names the first
commenter ("Flappy Bird"). A guess that a comment's author markup shows is no credit
(docs/extraction-log.md, "Session 9: authors on small sites")."""


def clean_authors(
    linked: Sequence[tuple[str, bool]],
    meta: Sequence[str],
    fallback: str | Callable[[], str | None] | None,
    site_keys: set[str],
    bylines: Callable[[], Sequence[Byline]] = tuple,
    by_line: Callable[[], str | None] = lambda: None,
    credit_lines: Callable[[], Sequence[str]] = tuple,
    comment_authors: Callable[[], Sequence[str]] = tuple,
) -> tuple[str, ...]:
    """The first source that names a person, else the first outlet credit (see the module doc).

    Order: JSON-LD (typed), the first author meta tag, trafilatura's byline guess, then each visible
    byline element in page order (last: layouts put other articles' bylines in the same markup).
    The byline group that credits the chosen person may add co-authors (``_with_more_people``);
    a visible byline may clean trafilatura's guess (``_visible_name_at_end``). With no credit at all,
    ``by_line`` (a "By Name" line under the headline, ``bylines.by_line``) is the last source.
    ``credit_lines`` (``bylines.credit_lines``) is read when no source and no byline element names a
    person, before an outlet credit is kept. trafilatura's guess is passed over when it is the name of a
    comment's author (``comment_authors``: byline markup inside the comments; the guess reads the whole
    page, comments included). ``fallback`` (the guess) may be a function that makes it: it is called only
    when the sources before it name no person (trafilatura's byline search is costly,
    ``ingest/trafilatura_metadata.py``).
    """

    def guess() -> list[tuple[str, bool]]:
        text = fallback() if callable(fallback) else fallback
        return [(text, True)] if text else []

    sources: list[tuple[Callable[[], Sequence[tuple[str, bool]]], bool]] = [
        (lambda: list(linked), True),
        (lambda: [(value, True) for value in meta[:1]], False),
        (guess, False),
    ]
    outlets: tuple[str, ...] = ()
    outlet_rank = 0
    for rank, (credits, typed) in enumerate(sources):
        names, has_person = _clean_source(credits(), site_keys, typed)
        if has_person and rank == len(sources) - 1 and SKIP_COMMENT_AUTHOR_GUESS:
            commenters = {name_key(clean_name(text) or "") for text in comment_authors()}
            if any(name_key(name) in commenters for name in names):
                continue
        if has_person:
            visible = bylines()  # one walk over the page's byline elements for both uses
            if rank == len(sources) - 1:  # trafilatura's guess
                names = _visible_name_at_end(names, visible, site_keys)
            return _with_more_people(names, _group_people(visible, names, site_keys))
        if names and not outlets:
            outlets, outlet_rank = names, rank
    # the first element that credits anyone is the article's byline, later ones belong to teasers
    # of other articles
    named: tuple[str, ...] = ()
    for byline in bylines():
        names, has_person = _clean_source([(byline.text, True)], site_keys, typed=False)
        if has_person:
            return names
        if names:
            named = names
            break
    for line in credit_lines():
        names, has_person = _clean_source([(line, True)], site_keys, typed=False)
        if has_person:
            return names
    if named:
        if PAGE_SPELLING_WINS and {name_key(n) for n in outlets} == {name_key(n) for n in named}:
            return named
        if BYLINE_BEATS_GUESSED_OUTLET and outlet_rank == len(sources) - 1:
            return named
        return outlets or named
    if not outlets and (line := by_line()):
        return _clean_source([(line, True)], site_keys, typed=False)[0]
    return outlets
