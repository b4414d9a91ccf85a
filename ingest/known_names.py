"""Mentions the model missed but knowledge or a fixed shape names: table names found in the text, the page's
own outlet, quoted titles of works and numbered streets.

The small English model misses names it has no context for: share buttons ("Share Facebook Twitter
WhatsApp"), a platform in passing ("the campaign's Facebook page"), the outlet naming itself ("London (CNN)",
"This City Limits video"). The tables of ``label_rules`` (outlets, platforms, companies, operating systems)
are matched as whole words, case as written; the outlet's own name is the page's domain spelt as one or more
capitalised words ("citylimits.org" -> "City Limits", "instyle.com" -> "InStyle"). A match inside a longer
mention of the model ("CBS" in "CBS News") or next to another capitalised word that is no table name
("Microsoft News", "Apple Valley Road") is left alone: it is part of another name. Session 10.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache

from ingest.entity_merge import Mention
from ingest.gazetteer import Gazetteer
from ingest.label_rules import COMPANIES, NEWS_OUTLETS, OPERATING_SYSTEMS, PLATFORMS, PRODUCTS, WORLD_REGIONS
from ingest.mention_spans import OFFICE_HEAD_WORDS, OFFICE_HOLDER_WORDS

REGION_ADJECTIVES = frozenset({"Baltic", "Arctic", "Antarctic", "Mediterranean", "Balkan"})
"""World regions that are adjectives as often ("Baltic states", "Arctic ice"): left to the model."""

KNOWN_LABELS = {
    **{name: "ORG" for name in (*NEWS_OUTLETS, *PLATFORMS, *COMPANIES)},
    **{name: "PRODUCT" for name in (*OPERATING_SYSTEMS, *PRODUCTS)},
    **{name: "LOC" for name in WORLD_REGIONS - REGION_ADJECTIVES},
}
"""What a table name found in the text is: the labels of the ``label_rules`` rows for these tables."""

COUNTRIES_NOT_MATCHED = frozenset({"Chad", "Jordan"})
"""Countries whose name is as often a person's given name or surname alone ("Jordan scored"): left to the
model. The other given-name countries ("Georgia", "India", "Israel") name the place far more often."""

MIN_TABLE_NAME_CHARS = 3
"""Shorter table names ("AP", "BP") are left to the model: as bare words they are initials of anything
("AP" course, "BP" for blood pressure); the tables' 3-letter names are outlets and firms (CNN, AFP, IBM)."""

MIN_OWN_NAME_CHARS = 3
"""A domain label shorter than this ("ft", "wp") spells no name worth looking for."""

_NEIGHBOUR = re.compile(r"(?:^|(?<=\s))([A-Z][\w'’&.-]*)\s*$")
_NEXT = re.compile(r"^\s([A-Z][\w'’&.-]*)")
_WORD_BEFORE = re.compile(r"(\S+)\s*$")


@cache
def _table_pattern() -> re.Pattern[str]:
    names = sorted((n for n in KNOWN_LABELS if len(n) >= MIN_TABLE_NAME_CHARS), key=len, reverse=True)
    return _names_pattern(names)


def _names_pattern(names: list[str]) -> re.Pattern[str]:
    """Whole-word alternation of ``names`` (longest first); the first-letter class in front lets the scan
    skip most positions at once (half the CPU of the bare alternation, measured on the labelled texts)."""
    firsts = "".join(sorted({re.escape(name[0]) for name in names}))
    alternation = "|".join(map(re.escape, names))
    return re.compile(rf"\b(?=[{firsts}])(?<![\w@/.-])(?:{alternation})(?![\w-]|\.\w)")


@cache
def _own_pattern(domain: str) -> re.Pattern[str] | None:
    """The domain's first label spelt as one or more words ("citylimits" -> "City Limits", "CITY LIMITS")."""
    label = domain.removeprefix("www.").split(".")[0]
    if len(label) < MIN_OWN_NAME_CHARS or not label.isalpha():
        return None
    letters = [f"[{c.upper()}{c}]" for c in label]
    return re.compile(r"(?<![\w@/.-])(?:The )?" + " ?".join(letters) + r"(?![\w-]|\.\w)")


def _own_names(text: str, domain: str) -> list[tuple[int, int, str]]:
    """Where the page's outlet names itself: the domain's spelling with every word capitalised."""
    pattern = _own_pattern(domain)
    if pattern is None:
        return []
    found = []
    for m in pattern.finditer(text):
        name = m.group().removeprefix("The ")
        if all(word[0].isupper() for word in name.split()):
            found.append((m.end() - len(name), m.end(), name))
    return found


def _inside_other_name(text: str, start: int, end: int) -> bool:
    """A capitalised word right before or after the match that is no table name: one longer name."""
    before = _NEIGHBOUR.search(text, max(0, start - 40), start)
    after = _NEXT.match(text[end : end + 40])
    return any(
        word is not None
        and word.group(1).rstrip(".") not in KNOWN_LABELS
        and word.group(1) not in _NOT_NAME_WORDS
        for word in (before, after)
    )


_NOT_NAME_WORDS = frozenset({
    "Share", "Email", "Print", "Tweet", "Pin", "Follow", "Like", "Copy", "Link", "Via",
    "A", "An", "The", "This", "That", "These", "In", "On", "At", "By", "For", "From", "To", "With", "And",
    "Or", "But", "Our", "Your", "His", "Her", "Its", "Their", "Download", "Watch", "Read", "Subscribe",
    "All", "Every", "Each", "Some", "Many", "Most", "No",
    "Last", "Next", "Earlier", "Later", "During", "Since", "Until", "Over", "Throughout",
})  # fmt: skip
"""Capitalised words beside a name that are no part of it: share bars ("Share Facebook Twitter Email"),
function words at a sentence's start ("This City Limits video", "Telegram A senior official")."""


def _only_inside(text: str, name: str, spans: list[tuple[int, int, str, str]]) -> bool:
    """Whether ``name`` occurs in ``text`` and every occurrence lies inside one of ``spans`` (a longer name)
    without being all of it."""
    starts = [m.start() for m in re.finditer(re.escape(name), text)] if name else []
    return bool(starts) and all(
        any(
            s <= start and start + len(name) <= e and (s, e) != (start, start + len(name))
            for s, e, _, _ in spans
        )
        for start in starts
    )


def _covered(text: str, mentions: list[Mention], name: str) -> list[tuple[int, int]]:
    """Where the model's mentions that contain ``name`` as a part stand in the text."""
    spans = []
    for mention in mentions:
        if name in mention.text and mention.text != name:
            start = text.find(mention.text)
            while start >= 0:
                spans.append((start, start + len(mention.text)))
                start = text.find(mention.text, start + 1)
    return spans


WORK_CUE_WORDS = frozenset({
    "book", "books", "paper", "song", "songs", "single", "album", "ep", "film", "movie", "series", "show",
    "novel", "play", "poem", "track", "memoir", "documentary", "ballad", "hit", "record", "episode", "essay",
    "podcast", "painting", "opera", "musical", "titled", "entitled", "songstress", "hitmaker", "anthem",
})  # fmt: skip
"""Lower-case words that, within ``WORK_CUE_WINDOW`` words before a quoted title-case phrase or right
after it, say it is the title of a work ("His book “The Future of Work”", "For my song I chose “Alone,”",
"the “My Heart Will Go On” songstress"). Without one a quoted capitalised phrase is as often a headline's
quotation ("Prison official: ‘Anyone’ could escape") or a slogan ("‘Top in the World’")."""

WORK_CUE_WINDOW = 3
"""Words before the quotation (in its sentence) searched for a cue: "song I chose" puts the cue three words
before."""

MAX_TITLE_WORDS = 8
"""Longer quotations are sentences quoted, not titles (the labelled titles have 1-6 words)."""

_QUOTED = re.compile(r"[“\"‘]([A-Z][^“”\"‘’\n]{0,80}?)[,.!?]?[”\"’](?!\w)")
_TITLE_SMALL_WORDS = frozenset({
    "a", "an", "the", "of", "on", "in", "to", "for", "and", "or", "but", "at", "by", "from", "with", "is",
    "as", "my", "me", "you", "it", "we", "i", "your", "our", "her", "his", "their", "go", "be",
})  # fmt: skip
"""Short words English titles leave in lower case ("Crazy on You"); every other word is capitalised."""

SHIP = re.compile(r"(?<![\w-])(?:USS|HMS|HMCS|HMAS|RMS|MV|MS) (?:[A-Z][\w'’-]+ ){0,2}[A-Z][\w'’-]+(?![\w-])")
"""A ship's name after its prefix ("USS Iwo Jima", "HMS Victory"): a vehicle, OntoNotes PRODUCT, that the
model reads as an organisation or a place ("Iwo Jima")."""

NATURAL_FEATURE = re.compile(
    r"(?<![\w-])(?:(?:Strait|Straits|Gulf|Bay|Sea|Isle) of (?:the )?|Lake |Mount )"
    r"(?:[A-Z][\w'’-]+ )?[A-Z][\w'’-]+(?![\w-])"
)
"""A natural feature named head first ("Strait of Hormuz", "Gulf of Aden", "Lake Tahoe", "Mount Kenya"),
OntoNotes LOC: the model often tags its name alone ("Hormuz" PERSON); that cut yields where all its
occurrences lie inside such a feature's name (session 13). Names the gazetteer knows as a place are left
to the model ("Lake Forest", "Mount Vernon" are towns)."""

_ORDINAL_WORDS = (
    "First|Second|Third|Fourth|Fifth|Sixth|Seventh|Eighth|Ninth|Tenth|Eleventh|Twelfth|Thirteenth|Fourteenth|"
    "Fifteenth|Sixteenth|Seventeenth|Eighteenth|Nineteenth|Twentieth|Twenty-[a-z]+"
)
NUMBERED_AMENDMENT = re.compile(
    rf"(?<![\w-])(?:\d{{1,2}}(?:st|nd|rd|th)|{_ORDINAL_WORDS}) Amendment(?![\w-])"
)
"""A constitutional amendment named by its number ("14th Amendment", "First Amendment"), OntoNotes LAW:
the small model leaves out names that start with a number (session 13)."""

NUMBERED_STREET = re.compile(
    r"(?<![\w-])(?:(?:North|South|East|West|Northeast|Northwest|Southeast|Southwest) )?"
    r"\d{1,5}(?:st|nd|rd|th|[NSEW]) (?:Road|Street|Avenue|Drive|Lane|Boulevard|Highway|Place|Court)(?![\w-])"
)
"""Streets named by a number ("42nd Street", "Southwest 117th Avenue", the grid roads of rural counties:
"1350N Road"): a facility (OntoNotes FAC) the small model leaves out, as numbers rarely start names."""


HEADED_NAME_HEADS = {
    **dict.fromkeys((
        "University", "College", "Department", "Ministry", "Agency", "Commission", "Committee", "Council",
        "Authority", "Association", "Institute", "Foundation", "Corporation", "Bank", "Party", "Police",
        "Hospital", "Bureau", "Service", "System", "School", "Academy", "Society", "Federation", "Board",
        "Museum", "Investigations", "Administration", "Center", "Centre",
    ), "ORG"),
    **dict.fromkeys((
        "Stadium", "Arena", "Airport", "Station", "Bridge", "Hotel", "Avenue", "Road", "Drive",
        "Boulevard", "Highway", "Tower", "Square", "Plaza", "Cathedral", "Apartments", "Houses",
    ), "FAC"),
    **dict.fromkeys(
        (
            "Gala", "Festival", "Summit", "Conference", "Exhibition", "Expo", "Marathon", "Forum",
            "Roundtable", "Week",
        ),
        "EVENT",
    ),
}  # fmt: skip
"""Heads that end the name of an organisation, a facility or an event ("Teacher Retirement System",
"Homeland Security Investigations", "Dresden Road", "Met Gala"): capitalised words before one, that no
mention of the model touches, are that name (session 10). "Week" (session 13): a named week is an event
("London Fashion Week"); "Last Week" at a sentence's start is not (``_NOT_NAME_WORDS``). Not "Street":
the streets news names most stand
for an institution or a trade ("Wall Street", "Downing Street", "Fleet Street"), and the model finds the
others."""

MAX_HEADED_WORDS = 5
"""Capitalised words before a head that one name may take ("Centre for Policy Impact in Global Health" is
longer, but the model finds such names; longer runs are headlines written in title case)."""

_CAP_WORD = r"[A-Z](?:[\w&'’-]|\.(?=[A-Za-z]))*(?:(?<=\.[A-Z])\.)?"
_HEADED = re.compile(
    rf"\b(?=[A-Z])(?<![\w'’.-])((?:{_CAP_WORD} (?:(?:of|for|and|&) (?:the )?)?){{1,{MAX_HEADED_WORDS}}}"
    rf"(?:{'|'.join(HEADED_NAME_HEADS)}))(?![\w-])"
)


COLON_DATELINE = re.compile(r"^[A-Z][A-Z'’-]+(?: [A-Z][A-Z'’-]+)?(?=: [A-Z])", re.MULTILINE)
"""The South Asian press's dateline, an all-capital place then a colon at a line's start ("BHOPAL: Madhya
Pradesh continues", "NEW DELHI: The ministry"): the model reads no name there, even in title case. Found
as a place where the gazetteer knows it ("WATCH:", "READ MORE:" are headings); session 13."""


_OWNER = re.compile(r"^.*['’‘]s ")


_HOLDERS = "|".join(word.title() for word in OFFICE_HOLDER_WORDS)
_OFFICE = re.compile(
    rf"\b(?=[A-Z])(?<![\w'’.-])((?:{_CAP_WORD} ){{0,4}}(?:{_HOLDERS})['’]s "
    rf"(?:{'|'.join(word.title() for word in OFFICE_HEAD_WORDS)}))(?![\w-])"
)
"""An office-holder's office the model did not find ("the U.S. Attorney’s Office in the region")."""


def headed_names(text: str) -> list[tuple[int, int, str, str]]:
    """Capitalised names ending in a head of ``HEADED_NAME_HEADS``, without leading function words."""
    found = []
    for m in _HEADED.finditer(text):
        start, name = m.start(1), m.group(1)
        owner = _OWNER.match(name)
        if owner:  # "National Weather Service’s Storm Prediction Center": the owner is a name of its own
            start, name = start + owner.end(), name[owner.end() :]
        while (first := name.split(" ", 1))[0] in _NOT_NAME_WORDS and len(first) > 1:
            start, name = start + len(first[0]) + 1, first[1]
        if len(name.split()) >= 2 and name.split()[0] not in ("of", "for", "and", "&"):
            found.append((start, start + len(name), name, HEADED_NAME_HEADS[name.rsplit(" ", 1)[-1]]))
    for m in _OFFICE.finditer(text):
        start, name = m.start(1), m.group(1)
        while (first := name.split(" ", 1))[0] in _NOT_NAME_WORDS and len(first) > 1:
            start, name = start + len(first[0]) + 1, first[1]
        found.append((start, start + len(name), name, "ORG"))
    return found


QUALIFIER_LABELS = frozenset({"GPE", "NORP"})
"""Labels of model mentions that a headed name may contain: a place or nationality qualifying it ("U.S." in
"U.S. Attorney’s Office")."""


def _model_spans(text: str, mentions: list[Mention]) -> list[tuple[int, int, str]]:
    spans = []
    for mention in mentions:
        start = text.find(mention.text)
        while start >= 0:
            spans.append((start, start + len(mention.text), mention.label))
            start = text.find(mention.text, start + 1)
    return spans


def _touches_model(start: int, end: int, spans: list[tuple[int, int, str]]) -> bool:
    """Whether a model mention overlaps [start, end), other than a qualifier inside it."""
    return any(
        s < end and start < e and not (start <= s and e <= end and label in QUALIFIER_LABELS)
        for s, e, label in spans
    )


_SENTENCE_END = re.compile(r"[.!?]\s")


def _title_case(words: list[str]) -> bool:
    return all(w[:1].isupper() or w.casefold() in _TITLE_SMALL_WORDS for w in words if w[:1].isalpha())


def quoted_titles(text: str) -> list[tuple[int, int, str]]:
    """Quoted title-case phrases with a work cue around them (``WORK_CUE_WORDS``), no digits."""
    found = []
    for m in _QUOTED.finditer(text):
        title = m.group(1).rstrip(",.!?")
        words = title.split()
        if not (1 <= len(words) <= MAX_TITLE_WORDS and _title_case(words)) or any(c.isdigit() for c in title):
            continue
        sentence = _SENTENCE_END.split(text[max(0, m.start() - 60) : m.start()])[-1]
        before = sentence.split()[-WORK_CUE_WINDOW:]
        after = text[m.end() : m.end() + 30].split()[:1]
        if WORK_CUE_WORDS.intersection(w.casefold().strip(",.;:()") for w in [*before, *after]):
            found.append((m.start(1), m.start(1) + len(title), title))
    return found


def _without_the(name: str) -> str:
    name = name.strip(_QUOTE_MARKS)
    return name[4:] if name[:4].casefold() == "the " else name


_QUOTE_MARKS = "“”\"‘’'«»„ "


@cache
def _country_pattern(gazetteer: Gazetteer) -> re.Pattern[str]:
    names = sorted(set(gazetteer.country_names()) - COUNTRIES_NOT_MATCHED, key=len, reverse=True)
    return _names_pattern(names)


def known_name_mentions(
    text: str, mentions: Iterable[Mention], source_domain: str | None, gazetteer: Gazetteer | None = None
) -> list[Mention]:
    """``mentions`` plus one mention per table name, own outlet name, quoted title, numbered street, headed
    name (and with ``gazetteer``, country name) in ``text`` that the model did not find as such; a model
    mention that is exactly the own outlet's name becomes ORG ("InStyle" PERSON)."""
    mentions = list(mentions)
    found: list[tuple[int, int, str, str]] = [
        (m.start(), m.end(), m.group(), KNOWN_LABELS[m.group()]) for m in _table_pattern().finditer(text)
    ]
    if gazetteer is not None:
        found += [(m.start(), m.end(), m.group(), "GPE") for m in _country_pattern(gazetteer).finditer(text)]
        found += [
            (m.start(), m.end(), m.group(), "GPE")
            for m in COLON_DATELINE.finditer(text)
            if len(m.group()) > 2 and gazetteer.lookup(m.group().title())
        ]
    own = _own_names(text, source_domain) if source_domain else []
    own_names = {name for _, _, name in own}
    found += [(start, end, name, "ORG") for start, end, name in own]
    own_spans = {(start, end) for start, end, _ in own}
    found += [(m.start(), m.end(), m.group(), "FAC") for m in NUMBERED_STREET.finditer(text)]
    found += [(m.start(), m.end(), m.group(), "LAW") for m in NUMBERED_AMENDMENT.finditer(text)]
    ships = [(m.start(), m.end(), m.group(), "PRODUCT") for m in SHIP.finditer(text)]
    if ships:  # the model's cut of a ship's name ("Iwo Jima" GPE) yields to it
        names = {name for _, _, name, _ in ships}
        mentions = [
            m for m in mentions if not any(m.text.strip() in n and m.text.strip() != n for n in names)
        ]
        found += ships
        own_spans |= {(start, end) for start, end, _, _ in ships}
    feature_spans: list[tuple[int, int]] = []
    if gazetteer is not None:
        features = [
            (m.start(), m.end(), m.group(), "LOC")
            for m in NATURAL_FEATURE.finditer(text)
            if not gazetteer.lookup(m.group())
        ]
        if features:
            mentions = [m for m in mentions if not _only_inside(text, m.text.strip(), features)]
            found += features
            feature_spans = [(start, end) for start, end, _, _ in features]
            own_spans |= set(feature_spans)
    titles = quoted_titles(text)
    if titles:
        keys = {_without_the(name).casefold() for _, _, name in titles}
        mentions = [  # the model's cut of a quoted title ("Future of Work" for "The Future of Work") yields
            m for m in mentions if not (m.label == "WORK_OF_ART" and _without_the(m.text).casefold() in keys)
        ]
        found += [(start, end, name, "WORK_OF_ART") for start, end, name in titles]
        own_spans |= {(start, end) for start, end, _ in titles}
    headed = headed_names(text)
    if headed:
        spans = _model_spans(text, mentions)
        found += [h for h in headed if not _touches_model(h[0], h[1], spans)]
        own_spans |= {(h[0], h[1]) for h in headed}
    if own_names:
        mentions = [
            Mention(m.text, "ORG", m.before, m.after) if m.text.strip() in own_names else m for m in mentions
        ]
    if not found:
        return mentions
    known_texts = {m.text.strip() for m in mentions}
    added: list[Mention] = []
    for start, end, name, label in found:
        if name in known_texts:
            continue
        if any(s <= start and end <= e and (s, e) != (start, end) for s, e in feature_spans):
            continue  # "Mexico" of "Gulf of Mexico"
        if (start, end) not in own_spans and _inside_other_name(text, start, end):
            continue
        if any(s <= start and end <= e for s, e in _covered(text, mentions, name)):
            continue
        before = _WORD_BEFORE.search(text, max(0, start - 40), start)
        word_before = text[start - 1] if label == "WORK_OF_ART" else before.group(1) if before else ""
        added.append(Mention(name, label, word_before, text[end : end + 30].strip()))
    return mentions + added
