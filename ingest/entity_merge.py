"""Document-level entity consistency: one ``Entity`` per real-world entity of a document.

The raw model sees each mention alone, so one person appears as "Angela Merkel" (PERSON),
"Merkel" (ORG) and "Merkel's" (PERSON). This module, pure and model-free, cleans the mention texts,
joins the mentions of one entity (same name, a surname, an acronym), and gives the entity one label
from its most reliable mentions. Measured on hand-labelled articles by ``bench/entity_quality.py``.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property

from schemas.article import Entity


@dataclass(frozen=True)
class Mention:
    """One entity mention as the model found it, its label already an OntoNotes label; ``before`` is the
    word just before it in the text (context cues: "Mr", "in"; after a comma, the word before the comma
    and the comma: "sister," in "his sister, Ana Ruiz"), ``after`` the words just after it (a head the
    model left out: "Police"), empty where unknown."""

    text: str
    label: str
    before: str = ""
    after: str = ""


LABEL_PRIORITY = ("GPE", "PERSON", "LOC", "NORP", "FAC", "ORG", "EVENT", "WORK_OF_ART", "LAW", "PRODUCT")
"""Tie-break between equally voted labels. ORG comes late: the small English model's most frequent
error on news is ORG for people's surnames and for regions (issue 3), so a tie is rarely a real ORG;
GPE before PERSON because single-word place names split GPE/PERSON more often than people do
(tests/ingest/labels)."""

PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})

ORG_WORDS = frozenset({
    "agency", "airlines", "association", "bank", "board", "bureau", "club", "co", "co.", "college",
    "commission", "committee", "company", "corp", "corp.", "corporation", "council", "court",
    "department", "foundation", "fund", "government", "group", "inc", "inc.", "institute", "league",
    "ltd", "ministry", "museum", "news", "office", "party", "police", "school", "service",
    "society", "team", "times", "union", "university", "ag", "gmbh", "plc", "sa",
})  # fmt: skip
"""Words that make a name an organisation even where the model also calls it a place
("Washington Superior Court"): such names are never promoted from ORG to GPE."""

HONORIFICS = frozenset({
    "mr", "mrs", "ms", "dr", "prof", "sir", "dame", "rabbi", "rev", "reverend", "honourable",
    "honorable", "hon", "rt", "m", "mme", "monsieur", "madame", "herr", "frau", "datuk", "dato", "datin",
})  # fmt: skip
"""Leading words dropped from any name ("Mr. Marcus" -> "Marcus"); compared without dots. "Datuk",
"Dato'", "Datin": Malaysian honours written before the name ("Datuk Seri Anwar Ibrahim")."""

TITLE_PARTS = frozenset({"seri", "sri"})
"""Second words of Malaysian honours ("Datuk Seri", "Tan Sri"): a mention made of titles and these only
is no name ("Datuk Seri" cut from its person). Not dropped before a name ("Sri Lanka")."""

PERSON_TITLES = frozenset({
    "president", "governor", "gov", "senator", "sen", "congressman", "congresswoman", "rep",
    "representative", "mayor", "premier", "minister", "judge", "justice", "detective", "officer",
    "commissioner", "chancellor", "secretary", "deputy", "acting", "former", "general", "gen", "mec",
    "supervisor", "superintendent", "sheriff", "councillor", "councilman", "councilwoman", "councilmember",
    "alderman", "alderwoman", "assemblyman", "assemblywoman", "assemblymember", "ambassador", "prosecutor",
    "trustee", "coach", "chairman", "chairwoman", "ceo", "sergeant", "sgt", "lieutenant", "inspector",
})  # fmt: skip
"""Leading job titles dropped from PERSON mentions only ("Governor Jay Inslee" -> "Jay Inslee"); on
other labels they are part of the name ("Governor's Office"). "MEC": a South African provincial minister
(Member of the Executive Council), written before the name as "Premier" is (session 9). Session 13 added
the local offices and ranks US and British news write capitalised before a name ("Supervisor Alfredo
Pedroza", "Superintendent Robert Runcie", "Sheriff ...", "Councilmember ..."); not words that are also
given names or surnames ("Dean", "Major", "Marshal") nor "Chief" / "Captain" ("Chief Keef", "Captain
America" are names)."""

PERSON_CUE_WORDS = HONORIFICS | frozenset({
    "miss", "sen", "senator", "rep", "gov", "governor", "president", "mayor", "minister", "chancellor",
    "ceo", "coach", "judge", "lord", "lady", "prince", "princess", "king", "queen", "pope", "actor",
    "actress", "singer", "rapper", "spokesperson", "spokesman", "spokeswoman", "defender", "midfielder",
    "striker", "footballer", "goalkeeper", "manager", "director", "chairman", "chairwoman", "journalist",
    "author", "officer", "sgt", "lt", "col", "capt", "cpl", "det", "supt", "insp", "dep", "atty", "mec",
})  # fmt: skip

KIN_WORDS = frozenset({
    "wife", "husband", "widow", "widower", "son", "daughter", "mother", "father", "brother", "sister",
    "uncle", "aunt", "nephew", "niece", "cousin", "grandson", "granddaughter", "grandmother", "grandfather",
    "girlfriend", "boyfriend", "fiancé", "fiancée",
})  # fmt: skip
"""Kin, a person cue right before a name ("his sister Ana Ruiz") and, unlike roles, also before the comma
of an apposition ("his sister, Ana Ruiz"): a role word ends clauses too often ("replaced by a coach,
Transport for Wales will ...")."""
"""Words that, just before a name (as the word before the model's span, or the span's own first word),
make it a person: honorifics, titles, roles news writes bare before a name ("midfielder Phil
Foden"), and kin (``KIN_WORDS``). Compared without dots, case folded. Their mention votes PERSON with
``CUE_VOTES``."""

CUE_VOTES = 2
"""Votes of a mention with a person cue: a title is surer evidence than the model's reading of context,
so one cued mention outvotes one ORG mention of the same name (a tie would go by LABEL_PRIORITY)."""

ORG_CUE_WORDS = frozenset({
    "newspaper", "daily", "tabloid", "weekly", "magazine", "broadcaster", "network", "outlet", "publisher",
    "agency", "firm", "company", "startup", "start-up", "retailer", "carmaker", "automaker", "airline",
    "insurer", "lender", "bank", "brand", "label", "charity", "nonprofit", "non-profit", "band", "house",
})  # fmt: skip
"""Common nouns that, written in lower case just before a name, say what kind of organisation it is
("newspaper Dagens Nyheter", "auction house Artcurial", "carmaker Stellantis"): such a mention votes ORG
with ``CUE_VOTES``, as a person cue votes PERSON. Lower case as written only: a capitalised one may be
part of the name ("Bank Leumi")."""

PLACE_CUE_WORDS = frozenset({"town", "city", "village", "hamlet", "suburb", "capital", "municipality"})
"""Lower-case kinds of inhabited place that, written just before a name the model tagged PERSON, say it
is a place ("the party town Van Vieng", "the capital Kyiv"): such a mention votes GPE with ``CUE_VOTES``,
as an organisation kind votes ORG (session 9). Not over other labels: one GPE vote turns an ORG into a
GPE (``_resolve_label``), and "the Trump-district House" is Congress. Not "state", "county", "district"
or "region" (a title or an institution follows them: "state Sen.", "district House"), and not before a
comma ("in the city, Smith said")."""

FURNITURE_WORDS = frozenset({
    "comment", "comments", "guidelines", "newsletter", "newsletters", "subscribe", "subscription",
    "premium", "infobox", "email", "e-mail", "login", "cookie", "cookies", "sign-up", "advertisement",
    "edition",
    "publier", "partager", "abonnez-vous",
})  # fmt: skip
"""Words of page furniture the extractor leaves in (comment widgets, newsletter boxes, share bars):
a mention containing one is dropped ("Independent Premium Comments", "Delete Comment Report")."""

ADMIN_UNIT_WORDS = frozenset({
    "canton", "département", "région", "province", "commune", "ville", "comté", "district", "arrondissement",
    "état", "municipalité", "préfecture", "land", "kanton", "bundesland", "provinz", "bezirk", "gemeinde",
})  # fmt: skip
"""Lower-case kinds of administrative unit that the French model takes into a place's span ("canton de
Berne", "ville de Lyon"): with the following "de"/"du"/"d'" they are cut, as the place is named by its
name ("Berne"), and the document's other mentions of it join it. Lower case as written only: "Province
de Liège" capitalised is the province's own name."""

_OF_WORDS = frozenset({"de", "du", "des", "von", "der"})

DOCUMENT_WORDS = frozenset(
    {"statement", "release", "report", "update", "interview", "photo", "photos", "video"}
)
"""Heading words that follow a name in press-release and live-blog headings ("John Rankin Release") and
credit lines ("Written by: Charnele Henry  Photo: ...", session 10): dropped from the end of PERSON mentions,
as no person's name ends so."""

_POSSESSIVE_DAY = re.compile(r"['’]s? Day$")

_SPACED_DASH_THEN_NUMBER = re.compile(r"\s+[-–—|]\s+(?=.*\d).*$")
"""A spaced dash or bar and a tail with a digit: a by-line's date or a heading's number the model ran into
the name ("James Whittaker - May 4", session 10); names hyphenate without spaces."""

GENERIC_NAMES = frozenset({
    "government", "council", "cabinet", "inquiry", "territory", "transport", "justice", "finance",
    "education", "communications", "health", "defence", "defense", "coronavirus", "covid", "covid-19",
    "independence", "confederation", "state", "states", "city", "county", "region", "province",
    "ministry", "department", "agency", "committee", "commission", "court", "police", "authority",
    "customer", "services", "statement", "release", "report", "email", "premium", "office", "cancel", "log",
    "customs",
    "reply",
    "background", "context", "analysis", "overview", "summary", "highlights",
    "etat", "état", "etats", "états", "ville", "gouvernement", "armées", "ministère",
    "regierung", "stadt", "land", "bund",
})  # fmt: skip
"""One-word mentions that are capitalised common nouns (an institution named by its kind, a heading),
not names: "the Government", "Transport" (for the Department for Transport), "Etat". Dropped. Session 13: the
run-in headings of explainer formats ("Background: Schools are ...", tagged PERSON)."""

INSTITUTION_ADJECTIVES = frozenset({
    "congressional", "parliamentary", "presidential", "federal", "constitutional", "senatorial",
    "gubernatorial", "ministerial", "governmental", "municipal", "judicial", "legislative", "executive",
    "electoral", "diplomatic", "military", "royal", "imperial", "papal",
})  # fmt: skip
"""Adjectives of institutions, capitalised in titles and headings ("Congressional Budget", tagged NORP
alone): alone they name no one, dropped like ``GENERIC_NAMES``. Inside a name they stay ("Congressional
Black Caucus")."""

CLIMATE_PATTERNS = frozenset({"el niño", "la niña", "el nino", "la nina"})
"""Climate patterns, tagged ORG by the small model: weather, not named entities (both held-out labellers left
them out, session 10). Dropped."""

COMMON_ABBREVIATIONS = frozenset({
    "vat", "gdp", "gnp", "cpi", "ceo", "cfo", "coo", "cto", "ipo", "etf", "iou", "llb", "llm", "mba", "phd",
    "atm", "dna", "rna", "hiv", "aids", "suv", "ev", "evs", "ai", "api", "faq", "pm", "mp", "mps", "tv",
    "gps", "sms", "pdf", "url", "usb", "nft", "nfts", "esg", "kpi", "ppe", "icu", "er", "mri",
    "evp", "svp", "vp", "mec",
    "tb", "gb", "mb", "kb", "ram", "cpu", "gpu", "ssd", "hdd", "mph", "kph", "rpm",
    "cst", "cdt", "est", "edt", "pst", "pdt", "mst", "mdt", "gmt", "utc", "bst", "cet", "cest",
})  # fmt: skip
"""Abbreviations of common nouns (taxes, titles, degrees, diseases, devices), tagged ORG by the small
model ("VAT on private school fees"): not names, dropped like ``GENERIC_NAMES``. Session 10: vice-president
titles ("EVP"), units of storage and speed ("80TB", "8 GB RAM") and time zones ("10:11 pm CST")."""

ACRONYM_SKIP_WORDS = frozenset({
    "of", "the", "and", "for", "in", "on", "at", "to", "&",
    "de", "du", "des", "la", "le", "les", "et", "pour", "en", "der", "die", "das", "für", "und", "von",
})  # fmt: skip
"""Function words that acronyms skip: "Commission of Inquiry" -> COI, "Union suisse des paysans" -> USP."""

MAX_ACRONYM_LETTERS = 8

LIST_COMMAS = 2
"""A mention with this many ", " is a list of names, not one ("Boulter, Burrage, Draper, Evans"); one comma
can be inside a name ("Washington, D.C.", "Paris, Texas") (session 9)."""

_SPACE = re.compile(r"\s+")

OPENING_QUOTES = "“\"‘'«„"
"""Marks that open a quotation (the word before a mention, or inside the model's span): a quoted title
("“The Future of Work”") is written whole, its article included."""
_FOOTNOTE_MARK = re.compile(r"(?<=[a-z])\.\d{1,2}$")
"""A footnote number glued after a name's full stop ("Boris Shor.3", session 13): no name ends so."""
_POSSESSIVE = re.compile(r"(?:['’]s|(?<=s)['’])$")
_EDGE_PUNCT = "\"'“”‘’«»„‚()[]{}<>,;:!?*#|-–—/"
_ELISION = re.compile(r"^[ldjnmst]['’]", re.IGNORECASE)


def clean_mention(text: str, label: str | None = None) -> str:
    """Whitespace normalised, an unclosed "(" and what follows cut ("University of Lesotho (NUL",
    "Alternative für Deutschland (AfD)" once its edge ")" is stripped),
    surrounding quotes and possessive ('s, ’s, s') stripped, leading "the", honorifics ("Mr", "Dr") and,
    on PERSON mentions, titles dropped. Empty when what is left is not name-like: no letter, one
    letter or digit ("D."), all lower case ("capitol", "n’t": model noise), a list (``LIST_COMMAS``), page
    furniture (``FURNITURE_WORDS``) or a capitalised common noun alone (``GENERIC_NAMES``)."""
    text = _SPACE.sub(" ", unicodedata.normalize("NFC", text)).strip().strip(_EDGE_PUNCT).strip()
    if text.count(", ") >= LIST_COMMAS:
        return ""  # a list of names the model read as one ("Boulter, Burrage, Draper, Evans")
    if "(" in text and ")" not in text:
        text = text[: text.index("(")].strip().strip(_EDGE_PUNCT).strip()
    if _POSSESSIVE_DAY.search(text):
        return ""  # a holiday is a date (OntoNotes DATE), not a name: "Valentine's Day", "Mother's Day"
    text = _SPACED_DASH_THEN_NUMBER.sub("", text)
    text = _FOOTNOTE_MARK.sub("", text)
    text = _POSSESSIVE.sub("", text).rstrip()
    last = text.rpartition(" ")[2]
    if " " in text and last in KIND_AFTER_WORDS:
        text = text[: -len(last)].rstrip()  # "Plymouth city", "Fianna Fáil party": the kind is no part of it
    droppable = HONORIFICS | PERSON_TITLES if label == "PERSON" else HONORIFICS
    words = text.split(" ")
    if len(words) > 2 and words[0] in ADMIN_UNIT_WORDS and words[1] in _OF_WORDS:
        words = words[2:]  # "canton de Berne" -> "Berne"
    elif (
        len(words) > 1 and words[0] in ADMIN_UNIT_WORDS and words[1][:2] in ("d'", "d’") and len(words[1]) > 2
    ):
        words = [words[1][2:], *words[2:]]  # "canton d'Argovie" -> "Argovie"
    if len(words) > 1 and all(_bare(w) in HONORIFICS | PERSON_TITLES | TITLE_PARTS for w in words):
        return ""  # titles without their person ("Datuk Seri", "Deputy Minister")
    if label == "PERSON" and len(words) > 1 and words[-1].casefold() in DOCUMENT_WORDS:
        words = words[:-1]  # "John Rankin Release": a heading word the model took into the name
    while len(words) > 1 and (
        words[0].casefold() == "the"
        or words[0] in ("a", "an")
        or words[0].casefold().rstrip(".") in droppable
    ):
        words = words[1:]
    text = " ".join(words).strip(_EDGE_PUNCT).strip()
    if sum(ch.isalnum() for ch in text) < 2 or not any(ch.isalpha() for ch in text) or text == text.lower():
        return ""
    folded = [word.casefold() for word in words]
    if (
        FURNITURE_WORDS.intersection(folded)
        or " ".join(folded) in CLIMATE_PATTERNS
        or (
            len(words) == 1
            and (
                folded[0] in GENERIC_NAMES
                or folded[0] in COMMON_ABBREVIATIONS
                or folded[0] in INSTITUTION_ADJECTIVES
            )
        )
    ):
        return ""
    return text


def _bare(word: str) -> str:
    return word.casefold().replace(".", "")


def has_person_cue(mention: Mention) -> bool:
    """A title or honorific just before the mention or as its first word ("Mr Bowen", "Sen. Tester")."""
    first = mention.text.split(maxsplit=1)[0] if mention.text.strip() else ""
    before = _bare(mention.before)
    return (
        before in PERSON_CUE_WORDS | KIN_WORDS
        or (before.endswith(",") and before[:-1] in KIN_WORDS)
        or (len(mention.text.split()) > 1 and _bare(first) in PERSON_CUE_WORDS)
    )


def has_org_cue(mention: Mention) -> bool:
    """A lower-case organisation kind just before the mention ("newspaper Dagens Nyheter")."""
    return mention.before in ORG_CUE_WORDS  # not before a comma: "at the house, Smith said"


KIND_AFTER_WORDS = {
    "party": "ORG", "city": "GPE", "town": "GPE", "village": "GPE",
    "residents": "GPE", "natives": "GPE", "native": "GPE",
}  # fmt: skip
"""English kind words written in lower case right after a name, naming what it is: "the Fianna Fáil party"
(the model tagged "Fianna Fáil" PERSON), "Plymouth city" (the model took "city" into a GPE), and the people
of a place ("Guanajuato natives", "Leeds residents": tagged PERSON). Such a word
inside the mention is cut from the name (``clean_mention``), and the mention votes the kind's label with
``CUE_VOTES`` (session 13), a place kind only for a name the gazetteer knows ("the Spanish city"). Lower
case as written only: "Mexico City", "Labour Party" are names; English only by their spelling (French and
Spanish kind words come first: "parti", "ville")."""


def kind_after(mention: Mention) -> str | None:
    """The label a lower-case kind word right after the name says (``KIND_AFTER_WORDS``), inside the
    mention as its last word or just after it."""
    words = mention.text.split()
    if len(words) > 1 and words[-1] in KIND_AFTER_WORDS:
        return KIND_AFTER_WORDS[words[-1]]
    after = mention.after.split()[:1]
    return KIND_AFTER_WORDS.get(after[0].rstrip(".,;:")) if after else None


def has_place_cue(mention: Mention) -> bool:
    """A lower-case kind of inhabited place just before a PERSON mention ("town Van Vieng")."""
    return mention.label == "PERSON" and mention.before in PLACE_CUE_WORDS


def _has_leading_the(text: str) -> bool:
    return text.lstrip(_EDGE_PUNCT).casefold().startswith("the ")


def _key(name: str) -> str:
    """Grouping key: case, apostrophe style and dots ignored, so "U.S." joins "US"."""
    return name.casefold().replace("’", "'").replace(".", "")


@dataclass
class _Group:
    """The mentions of one entity while merging."""

    key: str
    first_index: int
    forms: Counter[str] = field(default_factory=Counter)
    labels: Counter[str] = field(default_factory=Counter)
    reliable_labels: Counter[str] = field(default_factory=Counter)  # votes of the fullest name only
    members: list[_Group] = field(default_factory=list)

    @cached_property
    def words(self) -> list[str]:
        """Name words; a hyphen separates words too, so "Paul Delevoye" ends "Jean-Paul Delevoye".

        Computed once per group (its key never changes): merging compares every pair of groups, ~3,500
        reads of it per English article on the corpus. Read only, never changed by a caller."""
        return self.key.replace("-", " ").split(" ")

    @property
    def mentions(self) -> int:
        return sum(self.forms.values())


def _majority(votes: Counter[str]) -> str:
    return max(votes, key=lambda label: (votes[label], -LABEL_PRIORITY.index(label)))


def _initials(name: str) -> str:
    words = (_ELISION.sub("", word) for word in name.replace("-", " ").split(" "))
    return "".join(w[0] for w in words if w and w.casefold() not in ACRONYM_SKIP_WORDS).upper()


def _acronyms(name: str, is_place: Callable[[str], bool] | None) -> set[str]:
    """The acronyms a name may go by: its initials; with an all-capital word kept whole ("UN Relief and
    Works Agency" -> UNRWA); without a leading place name ("United States Drug Enforcement Agency" ->
    DEA)."""
    words = name.replace(".", "").split(" ")
    found = {_initials(name), "".join(w if w.isupper() else _initials(w) for w in words)}
    if is_place is not None:
        for cut in (1, 2):
            if len(words) - cut >= 2 and is_place(" ".join(words[:cut])):
                found.add(_initials(" ".join(words[cut:])))
    return found


def _acronym_of(group: _Group) -> str | None:
    form = group.forms.most_common(1)[0][0].replace(".", "")
    if 2 <= len(form) <= MAX_ACRONYM_LETTERS and form.isalpha() and form.isupper():
        return form
    return None


def _is_part_name_of(short: _Group, full: _Group, is_place: Callable[[str], bool] | None) -> bool:
    """ "Merkel" (a proper tail) or "Angela" (a first word the model calls PERSON) is a part of the
    person "Angela Merkel"; a name the model mostly reads as a place is not ("Washington" next to
    "George Washington"), unless ``is_place`` (the gazetteer) says it names no place ("Tester" tagged
    GPE next to "Jon Tester"; since session 9 the first name too: "Rebecca" tagged GPE next to "Rebecca
    Cooke"; since session 10 a middle word the model calls PERSON: "Etienne" beside "Camille Etienne
    Gbedey", "López" beside "Andrés Manuel López Obrador")."""
    if len(short.words) >= len(full.words) or _majority(full.reliable_labels) != "PERSON":
        return False
    short_label = _majority(short.labels)
    if len(short.words) == 1 and short.key in (full.words[-1] + "s", full.words[-1] + "es"):
        return True  # the family: "the Harrises" beside "Kamala Harris"
    if full.words[-len(short.words) :] == short.words:
        return short_label not in PLACE_LABELS or (is_place is not None and not is_place(short.key))
    if len(short.words) == 1 and short.words[0] in full.words[1:-1] and short_label == "PERSON":
        return True  # a middle word of a longer name, the first of two surnames: "Etienne" (session 10)
    return (
        len(short.words) == 1
        and full.words[0] == short.words[0]
        and (
            short_label == "PERSON"
            or (short_label in PLACE_LABELS and is_place is not None and not is_place(short.key))
        )
    )


TAIL_NAMED_LABELS = frozenset({"ORG", "FAC", "EVENT"})
"""Labels of names that a document shortens to their tail ("the Chinese Communist Party ... the Communist
Party", "Los Angeles Coliseum ... the Coliseum")."""

OTHER_THAN_TAIL = frozenset({"house"})
"""Tails that name another institution than the full name: "the House" is Congress' lower house, not
"the White House"."""


def _is_tail_name_of(short: _Group, full: _Group, is_place: Callable[[str], bool] | None) -> bool:
    """ "Communist Party" is the tail of the organisation "Chinese Communist Party", and so the same one; a
    tail that is a place name is not ("Bronx" in "Bronx Zoo")."""
    return (
        len(short.words) < len(full.words)
        and short.key not in OTHER_THAN_TAIL
        and _majority(full.reliable_labels) in TAIL_NAMED_LABELS
        and full.words[-len(short.words) :] == short.words
        and not (is_place is not None and is_place(short.key))
    )


def _parents(
    short: _Group, candidates: Sequence[_Group], is_place: Callable[[str], bool] | None
) -> list[_Group]:
    """The fuller names ``short`` may belong to: one is its entity; several people ("Lee" next to "James
    Lee" and "Han Lee") make it a name of one of them that the text does not tell."""
    acronym = _acronym_of(short)
    return [
        full
        for full in candidates
        if _is_part_name_of(short, full, is_place)
        or _is_tail_name_of(short, full, is_place)
        or (
            acronym is not None
            and len(full.words) >= 2
            and acronym in _acronyms(next(iter(full.forms)), is_place)
        )
    ]


def _resolve_label(group: _Group) -> str:
    """The fullest name's majority label (a PERSON "Angela Merkel" outvotes ORG "Merkel"s); then a
    name the model also called GPE, with no organisation word in it, is GPE even if mostly ORG
    (OntoNotes tags countries and regions acting as governments GPE too); and the other way round,
    a name with an organisation word the model also called ORG is ORG ("Washington Superior Court")."""
    votes = group.reliable_labels or group.labels
    label = _majority(votes)
    has_org_word = bool(ORG_WORDS.intersection(group.words))
    if label == "ORG" and group.labels["GPE"] > 0 and not has_org_word:
        return "GPE"
    if label in PLACE_LABELS and group.labels["ORG"] > 0 and has_org_word:
        return "ORG"
    return label


def _quoted_with_article(mention: Mention) -> bool:
    """ "“The Future of Work”": a quotation whose first word is "The"."""
    quoted = (bool(mention.before) and mention.before in OPENING_QUOTES) or mention.text[:1] in OPENING_QUOTES
    return quoted and mention.text.lstrip(OPENING_QUOTES).startswith("The ")


def merge_mentions(
    mentions: Iterable[Mention], is_place: Callable[[str], bool] | None = None
) -> list[Entity]:
    """Entities of one document, most mentioned first (then in order of first mention). ``is_place``:
    whether a name is a known place (the gazetteer), so a surname the model tagged as a place can still
    join its person; without it, place-tagged names never join a person."""
    groups: dict[str, _Group] = {}
    for index, mention in enumerate(mentions):
        cued = has_person_cue(mention)
        name = clean_mention(mention.text, "PERSON" if cued else mention.label)
        if cued and ORG_WORDS.intersection(_key(name).split(" ")):  # "President of the Council"
            cued, name = False, clean_mention(mention.text, mention.label)
        if not name:
            continue
        if mention.label == "WORK_OF_ART" and _quoted_with_article(mention):
            name = f"The {name}"  # a quoted title keeps its article: "The Future of Work" (session 10)
        key = _key(name)
        group = groups.get(key)
        if group is None:
            group = groups[key] = _Group(key=key, first_index=index)
        group.forms[name] += 1
        if mention.label == "PERSON" and _has_leading_the(mention.text):
            continue  # "the Louvre" is never a person: no vote
        if cued:
            group.labels["PERSON"] += CUE_VOTES
            group.reliable_labels["PERSON"] += CUE_VOTES
            continue
        if has_org_cue(mention):
            group.labels["ORG"] += CUE_VOTES
            group.reliable_labels["ORG"] += CUE_VOTES
            continue
        kind = kind_after(mention)
        if kind == "GPE" and not (is_place and is_place(name)):
            kind = None  # "the Spanish city", "an American town": a nationality, not the town's name
        if kind:
            group.labels[kind] += CUE_VOTES
            group.reliable_labels[kind] += CUE_VOTES
            continue
        if has_place_cue(mention):
            group.labels["GPE"] += CUE_VOTES
            group.reliable_labels["GPE"] += CUE_VOTES
            continue
        label = mention.label
        if label == "PERSON" and mention.before.casefold() == "the" and len(name.split()) == 1:
            label = "ORG"  # "the Louvre", "the Rams": an institution or team, never a person
        group.labels[label] += 1
        group.reliable_labels[label] += 1

    voted = [group for group in groups.values() if group.labels]  # only "the X" PERSON votes: noise
    by_length = sorted(voted, key=lambda g: -len(g.words))
    roots: list[_Group] = []
    for group in by_length:
        longer = [root for root in roots if len(root.words) > len(group.words)]
        parents = _parents(group, longer, is_place)
        if len(parents) > 1 and all(_majority(p.reliable_labels) == "PERSON" for p in parents):
            continue  # a surname of several people: each has an entity, which one is meant is unknown
        if len(parents) != 1:
            roots.append(group)
            continue
        parent = parents[0]
        parent.members.append(group)
        parent.forms.update(group.forms)
        parent.labels.update(group.labels)
        parent.first_index = min(parent.first_index, group.first_index)

    entities = []
    for root in sorted(roots, key=lambda g: (-g.mentions, g.first_index)):
        own_forms = Counter({form: n for form, n in root.forms.items() if _key(form) == root.key})
        canonical = own_forms.most_common(1)[0][0]
        entities.append(
            Entity(
                text=canonical,
                label=_resolve_label(root),  # type: ignore[arg-type]
                mentions=root.mentions,
                forms=list(root.forms),
            )
        )
    return entities
