"""German places the gazetteer lacks or cannot accept alone, found by the evidence around a name (session 12).

The gazetteer holds countries, first-level regions, continents and cities of >= 15,000 inhabitants, and the
place matcher (``place_matcher.py``) accepts a one-word city only from 30,000 inhabitants: German news also
names villages, towns, city districts, districts ("Landkreis"), rivers, seas, lakes, mountain ranges and
landscapes. Without a model, a capitalised word alone says nothing in German (every noun is capitalised: "in
Kraft", "bei Bedarf"), so a name is taken only with evidence:

1. a table of seas, rivers, lakes, mountain ranges, landscapes, world regions and former states
   (``data/de_places.tsv``, its source stated there): LOC (former states GPE), no id;
2. a word right after an administrative noun ("Landkreis Harburg", "Gemeinde Boltigen", "im Ortsteil
   Johannisthal", "Kanton Zug"): GPE; a district's or canton's name keeps no id (the gazetteer has at most a
   town of that name);
3. a word in parentheses right after a place ("Eisenhüttenstadt (Oder-Spree)"): the district, GPE, no id;
4. a word after a compass adverb with "von" ("westlich von Silivri"): GPE;
5. a word after a locative preposition ("in", "bei", "aus", "nach", "Richtung", "zwischen ... und") that is
   either a gazetteer city of any size by its own name or ends like a German place name ("-dorf", "-hausen",
   "-ingen", "-burg", ...; :data:`PLACE_SUFFIXES`): GPE, with the gazetteer's id when it has the town.

Found names become mentions like the matcher's; they go through the same merge, resolution and ids. Measured
on the German development split (``entities_de_dev.json``) and the tuned German articles: change the tables,
re-run ``bench/entity_quality.py``.
"""

from __future__ import annotations

import csv
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

from ingest.entity_linking import GERMAN_ADJECTIVE_ENDING, gazetteer_name
from ingest.entity_merge import Mention
from ingest.gazetteer import Gazetteer, name_key
from ingest.label_rules import given_names, known_org_keys
from ingest.place_matcher import INFLECTION_SUFFIXES, NAME_GAP, STOP_NAMES, function_words, text_words
from schemas.article import Entity

FEATURES_FILE = Path(__file__).resolve().parent / "data" / "de_places.tsv"

CUED_PLACE_LANGUAGES = frozenset({"de"})
"""Languages whose text gets these rules: German only (the tables and cues are German; written and measured on
German pages)."""

ADMIN_NOUNS = frozenset({
    "Gemeinde", "Marktgemeinde", "Ortsgemeinde", "Stadt", "Kreisstadt", "Hansestadt", "Ortsteil", "Ortsteils",
    "Stadtteil", "Stadtteils", "Ortschaft", "Dorf", "Stadtbezirk", "Ortsbezirk",
})  # fmt: skip
"""Nouns whose next capitalised word is a town, village or part of one ("Gemeinde Boltigen")."""

DISTRICT_NOUNS = frozenset({
    "Landkreis", "Landkreises", "Kreis", "Kreises", "Bezirk", "Bezirks", "Regierungsbezirk", "Kanton",
    "Kantons", "Region",
})  # fmt: skip
"""Nouns whose next capitalised word names a district, canton or region: a place, but not the town the
gazetteer may hold under that name ("Kreis Pinneberg" is not the town of Pinneberg): no id."""

COMPASS_ADVERBS = frozenset({
    "nördlich", "südlich", "östlich", "westlich", "nordöstlich", "nordwestlich", "südöstlich", "südwestlich",
    "unweit",
})  # fmt: skip
"""Adverbs that, followed by "von", place the next word on a map ("westlich von Istanbul")."""

LOCATIVE_WORDS = frozenset({"in", "In", "bei", "Bei", "aus", "Aus", "nach", "Nach", "Richtung", "zwischen"})
"""Words after which a town is named without an article ("in Lenzburg", "Richtung Wil"); weak evidence, so
the word after them must also look like a place (gazetteer city or :data:`PLACE_SUFFIXES`). Not "von": noble
names ("von Stauffenberg") and possessives. "und" counts after "zwischen X"."""

CUE_WORDS = DISTRICT_NOUNS | ADMIN_NOUNS | LOCATIVE_WORDS | {"von", "und"}
"""Every word after which a name is looked at."""

ARTICLE_WORDS = frozenset({
    "der", "die", "das", "dem", "den", "des", "am", "im", "vom", "zum", "zur", "beim", "ins", "ans",
})  # fmt: skip
"""Words before a table name marked "article" (a river that is also a word: "an der Oder", "am Main")."""

PLACE_SUFFIXES = (
    "dorf", "hausen", "heim", "ingen", "stedt", "städt", "stätt", "rode", "roda", "furt", "bach",
    "berg", "burg", "hagen", "kirchen", "kirch", "feld", "felde", "brück", "brücken", "stadt", "hofen",
    "beuren", "weiler", "hain", "thal", "born", "bronn", "brunn", "münster", "büttel", "walde", "werda",
    "witz", "itz", "ow", "au", "ikon", "wil", "zell", "weil", "lar",
)  # fmt: skip
"""Endings of German, Austrian and Swiss place names (Düsseldorf, Recklinghausen, Göttingen, Lenzburg,
Chemnitz, Treptow, Dachau, Dietikon, Uzwil, ...): a word after a locative word ending so is read as a town."""

ORG_HEAD_WORDS = frozenset({
    "Universität", "Uni", "Hochschule", "Fachhochschule", "Sternwarte", "Klinikum", "Uniklinik",
    "Landgericht", "Amtsgericht", "Oberlandesgericht", "Verwaltungsgericht", "Sozialgericht",
    "Arbeitsgericht", "Staatsanwaltschaft", "Theater", "Theaters", "Staatstheater", "Oper", "Staatsoper",
    "Flughafen", "Airport", "Zoo", "Tierpark", "Museum", "Polizei", "Kantonspolizei", "Landespolizei",
    "Stadtwerke", "Sparkasse", "Stadtsparkasse", "Volksbank", "Messe", "Landratsamt", "Bezirksamt",
    "Fortuna", "Eintracht", "Borussia", "Hertha", "Werder", "Dynamo", "Hansa", "Alemannia", "Arminia",
    "Kickers", "VfB", "VfL", "SpVgg",
})  # fmt: skip
"""Words that, right before a place name, make it part of an organisation's, building's or team's name
("Sternwarte Neumünster", "Universität Delaware", "Fortuna Düsseldorf"); so does an abbreviation in capitals
("SVP Zürich", "FC Liverpool"). A name the text writes only so is no place."""

ORG_ABBREVIATION_CHARS = (2, 5)
"""Length range of an all-capital word read as an organisation's abbreviation before a place ("FC", "SVP")."""

TOWN_COUNTRIES = frozenset({"DE", "AT", "CH", "LI", "LU"})
"""Countries whose gazetteer towns a locative word alone makes places: German news names small towns of these
countries; a foreign town of that size after "nach" is more often a word or a name ("nach Kant": Kant,
Kyrgyzstan; "In Böden": Boden, Sweden)."""

SUFFIX_MIN_CHARS = 5
"""A word shorter than this is never taken for its ending ("Berg", "Dorf", "Au")."""

NOT_PLACE_WORDS = frozenset({
    # nouns with a place-name ending that German writes after "in", "aus", "nach" without an article
    "hauptstadt", "innenstadt", "altstadt", "großstadt", "grossstadt", "kleinstadt", "vorstadt",
    "heimatstadt", "partnerstadt", "geburtsstadt", "nachbarstadt", "kreisstadt", "landeshauptstadt",
    "hansestadt", "werkstadt",
    "umfeld", "vorfeld", "spielfeld", "mittelfeld", "dingen", "leben", "heim", "eigenheim", "gebrauch",
    "aufbau", "ausbau", "neubau", "umbau", "abbau", "anbau", "bau", "frau", "schau", "stau", "genau", "blau",
    "grau", "witz", "blitz", "sitz", "besitz", "spitz", "show", "flow", "know", "snow", "slow", "window",
    "shadow", "tomorrow", "workflow", "cashflow", "talkshow", "roadshow", "liveshow", "knowhow", "lexikon",
    "weiler", "dauer", "anbetracht", "ingen",
})  # fmt: skip
"""Case-folded words never read as a town for their ending alone."""

_PARENTHESISED = re.compile(r"[ \t\u00a0]*\(([^\W\d_][\w-]*\w)\)")


@dataclass(frozen=True)
class CuedPlaces:
    """What :func:`cued_places` found: mentions to add, table names the matcher must not read as its
    namesakes ("Mosel" is an alternate name of Mosul), and names of districts that keep no id."""

    mentions: tuple[Mention, ...]
    table_names: frozenset[str]
    districts: frozenset[str]


@dataclass(frozen=True)
class _Feature:
    label: str
    needs_article: bool


@cache
def features() -> dict[str, _Feature]:
    """The place table by written form (every inflection listed in the file)."""
    table: dict[str, _Feature] = {}
    with FEATURES_FILE.open(encoding="utf-8") as handle:
        rows = csv.DictReader((line for line in handle if not line.startswith("#")), delimiter="\t")
        for row in rows:
            feature = _Feature(row["label"], row["cue"] == "article")
            for form in [row["name"], *filter(None, (row["forms"] or "").split(","))]:
                table[form.strip()] = feature
    return table


@cache
def _forms_by_first_word() -> dict[str, tuple[str, ...]]:
    """The table's forms by their first word, longest first ("Golf von Mexiko" before "Golf")."""
    forms: dict[str, list[str]] = {}
    for form in sorted(features(), key=len, reverse=True):
        forms.setdefault(form.split(" ", 1)[0], []).append(form)
    return {word: tuple(found) for word, found in forms.items()}


def _previous_word(text: str, start: int) -> str:
    """The word right before ``start`` when only spaces separate them, else ""."""
    match = re.search(r"([^\W\d_][\w'’.-]*)[ \t\u00a0]+$", text[max(0, start - 40) : start])
    return match.group(1) if match else ""


_JOINED_BEFORE = re.compile(r"([^\W\d_][\w-]*)[ \t\u00a0]+(am|an der|ob der)[ \t\u00a0]+$")


def _table_mentions(
    gazetteer: Gazetteer, text: str, words: list[tuple[int, int, str]]
) -> tuple[list[Mention], set[str]]:
    """Table names in ``text``: not inside a hyphenated run of two table names ("Rhein-Main-Verkehrsverbund"),
    not in parentheses after a town ("Frankfurt (Oder)"), not the end of a town's name ("Frankfurt am Main",
    "Mülheim an der Ruhr"); a name marked "article" only right after an article."""
    mentions, names = [], set()
    table = features()
    by_first_word = _forms_by_first_word()
    for start, _, word in words:
        candidates = by_first_word.get(word if "-" not in word else word.split("-", 1)[0])
        if not candidates:
            continue
        form = next((f for f in candidates if _written_at(text, start, f)), None)
        if form is None:
            continue
        end = start + len(form)
        following = re.match(r"-([^\W\d_]\w*)", text[end:])
        if following and following.group(1) in table:
            continue
        if table[form].needs_article and _previous_word(text, start).lower() not in ARTICLE_WORDS:
            continue
        if text[start - 1 : start] == "/" or (text[start - 1 : start] == "(" and text[end : end + 1] == ")"):
            continue
        joined = _JOINED_BEFORE.search(text[max(0, start - 60) : start])
        if joined and _is_town_word(gazetteer, joined.group(1)):
            continue
        mentions.append(Mention(form, table[form].label))
        names.add(form)
    return mentions, names


def _written_at(text: str, start: int, form: str) -> bool:
    """``form`` is written at ``start`` as a whole word (a hyphen may follow: "Nordsee-Insel")."""
    end = start + len(form)
    return text.startswith(form, start) and not (
        end < len(text) and (text[end].isalnum() or text[end] == "_")
    )


def word_occurrences(text: str, name: str) -> list[int]:
    """Start offsets of ``name`` written as a whole word (no letter, digit or hyphen either side)."""
    found, start = [], text.find(name)
    while start >= 0:
        end = start + len(name)
        before = text[start - 1] if start else " "
        after = text[end] if end < len(text) else " "
        if not (before.isalnum() or before in "_-") and not (after.isalnum() or after in "_-"):
            found.append(start)
        start = text.find(name, start + 1)
    return found


def _is_town_word(gazetteer: Gazetteer, word: str) -> bool:
    """A word that names a town on its own evidence: a gazetteer city by its own name or a place ending."""
    return word[:1].isupper() and (_has_place_ending(word) or _is_gazetteer_town(gazetteer, word))


@lru_cache(maxsize=65_536)
def _is_name_word(word: str) -> bool:
    """A capitalised word that can be (part of) a place name: not all capitals, not a function word, not a
    known outlet or company, not a common given name (persons)."""
    if not word[:1].isupper() or (word.isupper() and len(word) > 1) or "." in word:
        return False
    if any(part[1:] != part[1:].lower() for part in word.split("-")):
        return False  # "WestwingNow", "TdL": brands and abbreviations
    folded = word.casefold()
    return (
        name_key(word) not in function_words()
        and name_key(word) not in known_org_keys()
        and folded not in given_names()
    )


def _has_place_ending(word: str) -> bool:
    folded = word.casefold()
    if len(folded) < SUFFIX_MIN_CHARS or folded in NOT_PLACE_WORDS or "-" in folded:
        return False
    return folded.endswith(PLACE_SUFFIXES)


def _is_gazetteer_town(gazetteer: Gazetteer, word: str) -> bool:
    """A city of the gazetteer (any size) by its own name, in a German-speaking country
    (:data:`TOWN_COUNTRIES`), not a stop-listed word."""
    key = name_key(word)
    if key in STOP_NAMES:
        return False
    return any(
        p.kind == "city" and p.country in TOWN_COUNTRIES and gazetteer.is_main_name(p, word)
        for p in gazetteer.lookup_key(key)
    )


def _name_at(
    gazetteer: Gazetteer, words: list[tuple[int, int, str]], index: int, text: str
) -> tuple[str, int]:
    """The place name starting at ``words[index]``: that word, or "Bad"/"Sankt"/"St." with the next, or
    "X am Y" / "X an der Y" / "X ob der Y" when Y is a known place ("Weil am Rhein"; not "Genf am 28.
    November"); (name, words used)."""
    start, word = words[index][0], words[index][2]
    if word in ("Bad", "Sankt", "St") and index + 1 < len(words) and words[index + 1][2][:1].isupper():
        return text[start : words[index + 1][1]], 2
    if index + 1 >= len(words) or words[index + 1][2] not in ("am", "an", "ob"):
        return word, 1
    for joiner in (("am",), ("an", "der"), ("ob", "der")):
        tail = index + 1 + len(joiner)
        if (
            tail < len(words)
            and tuple(w for _, _, w in words[index + 1 : tail]) == joiner
            and all(NAME_GAP.fullmatch(text[words[i][1] : words[i + 1][0]]) for i in range(index, tail))
            and (words[tail][2] in features() or gazetteer.lookup(words[tail][2]))
        ):
            return text[start : words[tail][1]], tail - index + 1
    return word, 1


def _followed_by_name(words: list[tuple[int, int, str]], index: int, text: str) -> bool:
    """The word after ``words[index]`` is capitalised and only spaces apart: part of a longer name
    ("Hamburg Airport") or the start of the next phrase; either way no evidence for a town."""
    if index + 1 >= len(words):
        return False
    end, (next_start, _, following) = words[index][1], words[index + 1]
    return bool(NAME_GAP.fullmatch(text[end:next_start])) and following[:1].isupper()


def cued_places(gazetteer: Gazetteer, text: str, matched: Sequence[Mention] = ()) -> CuedPlaces:
    """German places by context evidence (module docstring), in text order (the table's first). ``matched``:
    the place matcher's mentions; those the text writes only inside an organisation's name or after an
    article (a city: "vom Keller", "auf dem Neumarkt") are returned to be dropped with the table's names."""
    words = text_words(text)
    mentions, table_names = _table_mentions(gazetteer, text, words)
    matched_names = {m.text for m in matched}
    table_names |= {n for n in matched_names if _only_in_names_or_after_articles(gazetteer, text, n)}
    first_words = {n.split(" ", 1)[0] for n in matched_names if " " in n}
    districts: list[str] = []
    table = features()
    for index in range(1, len(words)):
        word = words[index][2]
        if not (  # cheap tests first: this runs at every word of a text
            words[index - 1][2] in CUE_WORDS
            or word in matched_names
            or word in ("St", "Sankt")
            or (word.endswith("en") and word[:1].isupper())
        ):
            continue
        if not _is_name_word(word) or word in table:
            continue
        declined = _declined_name(gazetteer, text, words, index)
        if declined:
            mentions.append(Mention(declined, "GPE"))  # "Vereinigten Arabischen Emirate"
        if word in first_words:
            continue  # the first word of a longer name the matcher found ("Rio de Janeiro")
        name, used = _name_at(gazetteer, words, index, text)
        if word in ("St", "Sankt") and used == 2 and gazetteer.lookup(name):
            mentions.append(Mention(name, "GPE"))  # "St. Petersburg": the matcher stops at the dot
        cued = _cued_name(gazetteer, text, words, index, name, used)
        if cued is not None:
            mentions.append(Mention(_base_form(gazetteer, name), "GPE"))
            if cued == "district":
                districts.append(name)
        if cued is None and word not in matched_names:
            continue
        district = _PARENTHESISED.match(text, words[index + used - 1][1])
        if district and _is_district_word(district.group(1)):
            mentions.append(Mention(district.group(1), "GPE"))  # "Eisenhüttenstadt (Oder-Spree)"
            districts.append(district.group(1))
    return CuedPlaces(tuple(mentions), frozenset(table_names), _only_districts(text, districts))


def _declined_name(gazetteer: Gazetteer, text: str, words: list[tuple[int, int, str]], index: int) -> str:
    """The longest run of 2-4 capitalised words from ``words[index]`` that is a gazetteer name once its
    adjectives are in their base form (``GERMAN_ADJECTIVE_ENDING``), or ""."""
    if not words[index][2].endswith("en"):
        return ""
    last = index
    while last + 1 < min(index + 4, len(words)) and words[last + 1][2][:1].isupper():
        if not NAME_GAP.fullmatch(text[words[last][1] : words[last + 1][0]]):
            break
        last += 1
    for end in range(last, index, -1):
        name = text[words[index][0] : words[end][1]]
        base = GERMAN_ADJECTIVE_ENDING.sub("", name)
        if base != name and gazetteer.lookup(base):
            return name
    return ""


def _only_in_names_or_after_articles(gazetteer: Gazetteer, text: str, name: str) -> bool:
    """Every occurrence of ``name`` follows an organisation's head word or abbreviation, or (a city only)
    an article: German writes a town without one."""
    is_city = all(p.kind == "city" for p in gazetteer.lookup(gazetteer_name(gazetteer, name)))
    occurrences = word_occurrences(text, name)
    if not occurrences:
        return False
    for occurrence in occurrences:
        before = _previous_word(text, occurrence)
        low, high = ORG_ABBREVIATION_CHARS
        in_name = before in ORG_HEAD_WORDS or (before.isupper() and low <= len(before) <= high)
        after_article = is_city and before.lower() in ARTICLE_WORDS
        if not (in_name and not gazetteer.lookup(before)) and not after_article:
            return False
    return True


def _only_districts(text: str, districts: list[str]) -> frozenset[str]:
    """The district names the text uses as districts only: a name also written elsewhere ("in Pinneberg"
    beside "Kreis Pinneberg") may be the town, whose id then stays."""
    written = Counter(districts)
    return frozenset(name for name, count in written.items() if len(word_occurrences(text, name)) <= count)


def without_place_ids(entities: list[Entity], districts: frozenset[str]) -> list[Entity]:
    """Entities named like one of ``districts`` keep their label but no place id: the gazetteer's place of
    that name is a town, not the district ("Kreis Pinneberg")."""
    unlinked = []
    for entity in entities:
        names = [entity.text, *entity.forms]
        district = next((name for name in names if name in districts), None)
        if district is None or entity.geonames_id is None:
            unlinked.append(entity)
            continue
        cleared = dict.fromkeys(("id", "geonames_id", "country", "lat", "lon", "kind"))
        unlinked.append(entity.model_copy(update={**cleared, "text": district}))
    return unlinked


def _cued_name(
    gazetteer: Gazetteer, text: str, words: list[tuple[int, int, str]], index: int, name: str, used: int
) -> str | None:
    """Why ``name`` (at ``words[index]``) is a place: "district", "town", or None (no evidence)."""
    start, word = words[index][0], words[index][2]
    previous_end, cue = words[index - 1][1], words[index - 1][2]
    if not NAME_GAP.fullmatch(text[previous_end:start]):
        return None
    if cue in DISTRICT_NOUNS:
        return "district"
    if cue in ADMIN_NOUNS:
        return "town"
    if cue == "von" and index >= 2 and words[index - 2][2] in COMPASS_ADVERBS:
        return "town"
    if cue in LOCATIVE_WORDS or (cue == "und" and _after_zwischen(words, index)):
        if used > 1:
            return "town"
        if not _followed_by_name(words, index, text) and _is_town_word(gazetteer, word):
            return "town"
    return None


def _is_district_word(word: str) -> bool:
    """A word in parentheses after a place that names its district: a name word, hyphenated ("Oder-Spree",
    "Main-Taunus") or with a place name's ending, not a table name ("Frankfurt (Oder)"); not an agency
    ("AFP", "Keystone-SDA") nor a note ("London (Archivaufnahme)")."""
    return _is_name_word(word) and word not in features() and ("-" in word or _has_place_ending(word))


def _base_form(gazetteer: Gazetteer, name: str) -> str:
    """``name``, or without a genitive/dative ending when only that form is a gazetteer name
    ("Deutschlands")."""
    if gazetteer.lookup(name) or name[-1:] not in INFLECTION_SUFFIXES or not gazetteer.lookup(name[:-1]):
        return name
    return name[:-1]


def _after_zwischen(words: list[tuple[int, int, str]], index: int) -> bool:
    """``words[index]`` follows "zwischen X und" ("zwischen Wohlen und Lenzburg")."""
    return index >= 3 and words[index - 3][2] == "zwischen"
