"""Places for languages without a NER model (de, es, it, pt, nl, ...): gazetteer names found in the text.

A match is a run of 1-4 capitalised words (lower-case joining words such as "de", "am", "del" allowed
inside: "Frankfurt am Main", "Rio de Janeiro") that is a gazetteer name in any indexed language, the
longest at each position, on token boundaries only (never inside a word, never across punctuation).
Words that are place names but mostly something else in running text ("Essen" is food in German,
"Mayo" a month in Spanish, "Florence" a first name) are in :data:`STOP_NAMES`. Measured on the German
hand-labelled articles (``bench/entity_quality.py``): change the lists, re-run it.
"""

from __future__ import annotations

import importlib
import re
from functools import cache, lru_cache

from ingest.entity_merge import Mention
from ingest.gazetteer import NAME_LANGUAGES, Gazetteer, Place, name_key
from ingest.label_rules import given_names, known_org_keys
from ingest.small_towns import LOCATIVES, small_towns

MAX_NAME_WORDS = 4
"""Longest place name tried: "Provence-Alpes-Côte d'Azur" is one hyphenated word; four words cover
"Bosnia and Herzegovina", "Frankfurt am Main"."""

SINGLE_WORD_CITY_MIN_POPULATION = 30_000
"""A one-word name that is only a city needs this population: the 15,000-30,000 towns' names are
mostly also common words or surnames in some language ("Weil", "Laufen", "Lage")."""

SINGLE_WORD_ALTERNATE_MIN_POPULATION = 200_000
"""A one-word city name that is only one of its GeoNames alternate names (other languages' exonyms,
"Moskau", "Mailand") needs this population: smaller towns' alternates are too often ordinary words or
names elsewhere ("Hua", an alternate of Huazhou, is a given name)."""

GIVEN_NAME_CITY_MIN_POPULATION = 100_000
"""A one-word name that is also a common given name (the census list of ``label_rules``: "Julia", "Roman",
"Davis", "Kai") is matched as a city only by the city's own name and from this population ("Jena", "Nancy",
"Orlando" still; "Roman", Romania, and "Julia", an alternate of Plovdiv, not): in running text such a word
is a person's name far more often. Followed by a capitalised word, it is a first name ("Ann Kiessling"),
and any city right after a given name is a surname ("Frank Warren", "Roberto Córdoba"): never a city then
(``_is_person_name_part``)."""

OWN_LANGUAGE_CITY_MIN_POPULATION = 1_000_000
"""A given name that is an alternate name of a city of this size is still the city in a text of a language
its country speaks: "Roma" in Italian is Rome (GeoNames' main names are often English: Rome, Venice,
Naples), while in a German or English text it stays a person's name. Smaller cities' alternates are too often
transliterations that are words ("Gerne" for Herne, "Hamas" for Hamm: session 13 tried every alternate of
an own-language city from SINGLE_WORD_CITY_MIN_POPULATION and dropped it)."""

INFLECTION_SUFFIXES = ("s", "n")
"""Endings a one-word name is tried without: the German genitive and dative ("Deutschlands", "Berlins",
"in den Niederlanden")."""
INFLECTED_MIN_CHARS = 5
"""Only words at least this long are tried without an ending ("Irans" -> "Iran"; not "Gras")."""

APOSTROPHE_SUFFIX = re.compile(r"^(?P<name>[^\W\d_][\w.-]*\w)['’](?P<tail>[^\W\d_]{1,5})$")
"""A name with a case ending after an apostrophe: Turkish writes every proper noun's suffix so
("Ankara'da", "Türkiye'nin", "İstanbul’a"), as do Finnish with foreign names and English possessives. The
ending (1-5 lower-case letters) is dropped and the name matched as any other; a longer tail is a word of
its own ("O'Connell")."""
ELIDED_ARTICLE = re.compile(r"^(?P<article>[^\W\d_]{1,5})['’](?P<name>[^\W\d_][\w.-]*\w)$")
"""An elided article or preposition glued to a name: Italian, Catalan and French "l'Ucraina",
"dell'Europa", "d'Italia", "all'Iran". The article (1-5 lower-case letters) is dropped when the name after
it is capitalised."""

CASE_ENDINGS = {
    "pl": ("a", "y", "i", "e", "u", "ie", "ii", "ji", "ach", "om", "em", "iem", "owi", "ce", "dze", "ow",
           "ej", "iej"),
    "cs": ("a", "y", "i", "e", "u", "ou", "em", "am", "ach", "ech", "ie", "ii", "ich", "ovi"),
    "sk": ("a", "y", "i", "e", "u", "ou", "om", "ach", "och", "ie", "ii", "ovi"),
    "sl": ("a", "e", "i", "u", "o", "om", "em", "ji", "ju", "iji", "ijo"),
    "hr": ("a", "e", "i", "u", "om", "em", "oj", "ji", "ju", "iji", "ije", "ju"),
    "lt": ("a", "os", "ai", "oje", "e", "eje", "o", "ui", "uje", "u", "je", "io", "iu", "ams", "ose"),
    "lv": ("a", "as", "ai", "u", "e", "es", "ei", "i", "iju", "ija", "ijas", "ijai"),
    "fi": (
        "n", "a", "ssa", "sta", "lla", "lta", "lle", "ksi", "na", "ta", "an", "en", "in", "on", "un", "aan",
        "een", "iin", "seen", "hin", "essa", "esta", "ella", "elta", "elle", "eksi", "ena",
    ),
    "et": ("s", "st", "sse", "l", "lt", "le", "ks", "ni", "ga", "na", "ta", "as", "ast", "asse", "al", "alt",
           "ale", "aks", "a"),
    "hu": ("ban", "ben", "ba", "be", "bol", "rol", "ra", "re", "on", "en", "n", "nak", "nek", "hoz", "hez",
           "tol", "val", "vel", "ig"),
}  # fmt: skip
"""Case endings (accents folded, as name keys) a place's name takes in the languages that decline names
(session 12): "w Krakowie", "z Polski", "na Ukrainie", "w Polsce" (Polish), "Berliinissä", "Suomen"
(Finnish), "Budapesten" (Hungarian), "na Ukrajině" (Czech), "u Hrvatskoj" (Croatian), "Tallinnas"
(Estonian). A word is such a name when it is a major place's name (``_is_major_place``), or that name cut by
up to DECLINED_STEM_CUT letters ("Polsk|a" -> "Pols|ce", "Moskw|a" -> "Moskw|ie"), followed by one of its
language's endings; only for articles of these languages (the enricher passes the detected language)."""
DECLINED_STEM_CUT = 2
"""Letters of the base name a case form may replace: one vowel ("Ukrain|a" -> "Ukrain|ie") or a final
consonant and vowel whose sound changes ("Polsk|a" -> "Pols|ce", "Prag|a" -> "Pra|dze")."""
DECLINED_STEM_MIN_CHARS = 4
"""The shared stem of a declined form and its base needs this many letters: shorter stems ("Rom|a",
"Brn|o") are shared by too many other words."""
DECLINED_MIN_CHARS = 5
"""A declined form is at least this long: shorter capitalised words ("Mini", "Mato") are abbreviations or
names that only look like a cut place name (Minia, Matola)."""
SENTENCE_START = re.compile(r"(?:^|[.!?:;\"„“«»(\[]|\n)\s*$")
"""What comes before a word that starts a sentence (or a heading, a quote, a bracket): capitalised there,
an adjective ("Polski rząd", "Polskie Radio") looks like a declined country name."""
SHORT_PREPOSITION_CHARS = 3
"""A capitalised word this short before a declined form is a sentence-initial preposition ("W Polsce",
"Na Ukrainie", "Ve Francii"), not part of a capitalised name."""

ADMIN_NOUNS = {
    "es": frozenset({
        "provincia", "departamento", "municipio", "comuna", "región", "region", "estado", "distrito",
        "cantón", "localidad", "pueblo", "ciudad", "barrio", "partido", "parroquia", "corregimiento",
        "comunidad",
    }),
    "pt": frozenset({
        "província", "provincia", "município", "municipio", "estado", "cidade", "distrito", "bairro",
        "concelho", "freguesia", "região", "regiao", "localidade",
    }),
    "it": frozenset({
        "provincia", "comune", "regione", "frazione", "città", "citta", "paese", "località", "localita",
        "quartiere",
    }),
}  # fmt: skip
"""Administrative nouns (session 12) whose "de"/"di" complement is a place: "departamento de Cerro Largo",
"provincia di Frosinone", "município de Ponta Porã". The capitalised words after them are one GPE mention,
whether or not the gazetteer knows the name (then no id), and no word inside is matched alone ("Cerro" of
"Cerro Largo" is no Cuban town)."""
ADMIN_LINK_WORDS = frozenset({"de", "del", "di", "della", "do", "da", "dos", "das"})
"""The preposition between an administrative noun and its place."""

JOINING_WORDS = frozenset({
    "am", "an", "der", "im", "ob", "bei", "de", "del", "della", "di", "da", "do", "dos", "das", "la", "le",
    "les", "sur", "en", "y", "and", "of", "upon", "van", "aan", "op",
})  # fmt: skip
"""Lower-case words allowed inside a multi-word place name, never at its start or end."""

STOP_NAMES = frozenset({
    # German nouns, adjectives and names that are also places
    "essen", "halle", "hof", "mark", "bergen", "marl", "laufen", "weil", "zell", "bad", "stadt", "land",
    "ost", "west", "nord", "sud", "mitte", "kirche", "burg", "neustadt", "bruck",
    "celle", "wedding", "ems", "lahr", "lage", "ahlen", "goch", "kehl", "erding", "stein", "moos",
    "herne", "hamm", "hameln", "worms", "siegen", "verden", "wetter", "kaufen", "friedrich", "hilden",
    "gotha", "waren", "werne", "viersen", "wolfen", "schwerte", "rain", "borna", "senden", "union", "mann",
    "lander",
    # Spanish, Italian, Portuguese, Dutch and French common words
    "mayo", "marino", "guerra", "leon", "santa", "san", "santo", "sao", "nova", "nueva", "ciudad",
    "capital", "centro", "sur", "norte", "este", "oeste", "gracias", "bello", "ede", "born", "best",
    "nice", "coronel", "ville", "orange", "grand", "saint", "mont",
    # first names and surnames that are also towns
    "florence", "victoria", "adelaide", "regina", "eugene", "marion", "carmen", "mercedes", "alexandria",
    "york", "lincoln", "hamilton", "kent", "jackson", "madison", "austin", "charlotte", "elizabeth",
    "paul", "martin", "david", "simon", "vincent", "lorenzo", "jose", "ramon",
})  # fmt: skip
"""Name keys (accents folded, lower case) never matched in running text."""


@cache
def function_words() -> frozenset[str]:
    """spaCy's stop words of the indexed languages (shipped with spaCy, no model needed): capitalised at
    the start of a sentence, "Die", "Con", "Per" would otherwise match towns of those names. They never
    match a city; a country or region still matches ("Indien" is in spaCy's German list)."""
    words: set[str] = set()
    for language in NAME_LANGUAGES:
        words.update(importlib.import_module(f"spacy.lang.{language}.stop_words").STOP_WORDS)
    return frozenset(name_key(word) for word in words)


@cache
def text_function_words(language: str | None) -> frozenset[str]:
    """spaCy's stop words of the text's own language when it is not an indexed one (Norwegian "Det", Polish
    "Jej", Indonesian "Lima" = five, Danish "Lille" = small): only in a text of that language, since other
    languages' texts name those towns ("Lima", "Lille"). Empty for a language spaCy has no list for."""
    if not language or language in NAME_LANGUAGES:
        return frozenset()
    code = SPACY_LANGUAGE_CODES.get(language, language)
    try:
        module = importlib.import_module(f"spacy.lang.{code}.stop_words")
    except ImportError:
        return frozenset()
    return frozenset(name_key(word) for word in module.STOP_WORDS)


SPACY_LANGUAGE_CODES = {"no": "nb"}
"""Language codes of the language identifier that spaCy files under another code (Norwegian Bokmål)."""

_WORD = re.compile(r"[^\W\d_](?:[\w'’.-]*\w)?")
NAME_GAP = re.compile(r"[ \t\u00a0]+")


def text_words(text: str) -> list[tuple[int, int, str]]:
    return [(m.start(), m.end(), m.group()) for m in _WORD.finditer(text)]


def _is_place_name(gazetteer: Gazetteer, name: str, words: int, language: str | None = None) -> bool:
    key = name_key(name)
    if key in STOP_NAMES:
        return False
    places = gazetteer.lookup_key(key)
    if words > 1:
        return bool(places)
    if (key in function_words() or key in text_function_words(language)) and not name.isupper():
        return any(p.kind != "city" and not abbreviates(p, key) for p in places)
    return any(p.kind != "city" or _is_city_word(gazetteer, p, name, key, language) for p in places)


def abbreviates(place: Place, key: str) -> bool:
    """``key`` is a cut of the place's name, an abbreviation ("Mich" for Michigan, "Wash", "Ind"): a
    function word that is one ("mich", German "me") names no region, though a full other-language name
    that is a function word still does ("Indien")."""
    full = name_key(place.name)
    return key != full and full.startswith(key)


def _is_city_word(gazetteer: Gazetteer, place: Place, name: str, key: str, language: str | None) -> bool:
    """Whether one word names ``place``, a city: by its own name from SINGLE_WORD_CITY_MIN_POPULATION, by
    an alternate name from SINGLE_WORD_ALTERNATE_MIN_POPULATION; never when the word is a known outlet,
    platform or company ("Metro", a newspaper and a retailer, is also a city of Indonesia: a brand is
    named far more often than a foreign town of its name), nor by an alternate written in capitals (codes:
    "AMA", "SAM"); a given name only as GIVEN_NAME_CITY_MIN_POPULATION says (session 9)."""
    main = gazetteer.is_main_name(place, name)
    if key in known_org_keys() or (name.isupper() and not main):
        return False
    if name.casefold() in given_names():
        if place.population >= OWN_LANGUAGE_CITY_MIN_POPULATION and gazetteer.speaks(place.country, language):
            return True  # "Roma" in Italian
        return main and place.population >= GIVEN_NAME_CITY_MIN_POPULATION
    return place.population >= SINGLE_WORD_ALTERNATE_MIN_POPULATION or (
        place.population >= SINGLE_WORD_CITY_MIN_POPULATION and main
    )


def _run_length(text: str, words: list[tuple[int, int, str]], start: int) -> int:
    """How many words from ``words[start]`` (at most MAX_NAME_WORDS) are joined as a name may join them:
    each next word after plain spaces, capitalised or a joining word. A candidate name is such a run's first
    1..length words ending on a capitalised word; the joins are checked once per start instead of once per
    tried length (this runs at every capitalised word of a text; tests/ingest/test_entity_lookups.py pins
    it to the per-length definition)."""
    last = min(start + MAX_NAME_WORDS, len(words)) - 1
    index = start
    while index < last:
        end, (next_start, _, word) = words[index][1], words[index + 1]
        if not NAME_GAP.fullmatch(text[end:next_start]) or not (word[0].isupper() or word in JOINING_WORDS):
            break
        index += 1
    return index - start + 1


def _mention(gazetteer: Gazetteer, name: str, language: str | None = None) -> Mention:
    places = gazetteer.lookup(name) or gazetteer.lookup_key(declined_base(gazetteer, name, language) or "")
    is_continent = any(p.kind == "continent" for p in places)
    return Mention(name, "LOC" if is_continent else "GPE")


def _match_at(
    gazetteer: Gazetteer, text: str, words: list[tuple[int, int, str]], index: int, language: str | None
) -> tuple[int, str]:
    """(words matched, name) of the longest place name starting at ``words[index]``; (0, "") if none.

    A single word is also tried without an inflection ending (:data:`INFLECTION_SUFFIXES`)."""
    start = words[index][0]
    for count in range(_run_length(text, words, index), 1, -1):
        _, end, last_word = words[index + count - 1]
        if not last_word[0].isupper():
            continue
        if _has_apostrophe(last_word) and (suffixed := APOSTROPHE_SUFFIX.match(last_word)):  # "New York'ta"
            end -= len(last_word) - suffixed.end("name")
        if _is_place_name(gazetteer, text[start:end], count):
            return count, text[start:end]
    return _word_match(gazetteer, words[index][2], language)


def _has_apostrophe(word: str) -> bool:
    return "'" in word or "’" in word


def _apostrophe_match(gazetteer: Gazetteer, word: str, language: str | None) -> tuple[int, str]:
    """A one-word name with an elided article before it or a case ending after it (``ELIDED_ARTICLE``,
    ``APOSTROPHE_SUFFIX``), matched without them; (0, "") otherwise."""
    name = word
    if (elided := ELIDED_ARTICLE.match(name)) is not None and elided["article"].islower():
        name = elided["name"]
    if (suffixed := APOSTROPHE_SUFFIX.match(name)) is not None and suffixed["tail"].islower():
        name = suffixed["name"]
    if name == word or not name[0].isupper() or not _is_place_name(gazetteer, name, 1, language):
        return 0, ""
    return 1, name


WORD_MATCH_CACHE_WORDS = 65_536
"""Distinct capitalised words whose one-word answer is kept (a few MB): most capitalised words of a German
text are nouns that recur across articles; each answer costs two to four name keys and lookups."""


@lru_cache(maxsize=WORD_MATCH_CACHE_WORDS)
def _word_match(gazetteer: Gazetteer, word: str, language: str | None) -> tuple[int, str]:
    """``_match_at``'s answer for a name of one word: it depends on the word and the text's language."""
    if _is_place_name(gazetteer, word, 1, language):
        return 1, word
    if _has_apostrophe(word):
        return _apostrophe_match(gazetteer, word, language)
    if (
        len(word) >= INFLECTED_MIN_CHARS
        and name_key(word) not in STOP_NAMES  # "Essen" is no "Esse"
        and word.casefold() not in given_names()  # "Roman" (also a German noun) is no "Roma"
    ):
        for suffix in INFLECTION_SUFFIXES:
            stem = word[: -len(suffix)]
            if word.endswith(suffix) and _is_major_place(gazetteer, stem):
                return 1, stem
    return 0, ""


def _is_major_place(gazetteer: Gazetteer, name: str) -> bool:
    """Inflected forms are only tried for countries, regions and large cities: "Zahlen" ("numbers") minus
    its "n" is Zahlé, a Lebanese town."""
    key = name_key(name)
    return key not in STOP_NAMES and any(
        p.kind != "city" or p.population >= SINGLE_WORD_ALTERNATE_MIN_POPULATION
        for p in gazetteer.lookup_key(key)
    )


def _is_person_name_part(
    gazetteer: Gazetteer, text: str, words: list[tuple[int, int, str]], index: int, name: str
) -> bool:
    """A one-word city name inside a person's name: right after a given name, it is a surname ("Roberto
    Córdoba", "Adriana Quevedo", "Frank Warren"; Spanish surnames are often towns); itself a given name
    right before a capitalised word, it is a first name ("Ann Kiessling"); after a surname particle that
    follows a person's name, a surname too ("Marcelino Nunes de Oliveira"). Countries and regions still
    match ("Jordan"). Session 13 extended the first case from given-name cities to all cities: on the
    unlabelled Spanish, Polish and German pages it removed ~50 page places, nearly all surnames."""
    if not all(p.kind == "city" for p in gazetteer.lookup(name)):
        return False
    start, end, word = words[index]
    if index > 0:
        _, previous_end, previous = words[index - 1]
        if _is_given_name(previous) and NAME_GAP.fullmatch(text[previous_end:start]):
            return True
        if previous in SURNAME_LINK_WORDS and _ends_given_name_run(text, words, index - 1):
            return True
    if index + 1 < len(words) and word.casefold() in given_names():
        next_start, _, following = words[index + 1]
        return following[0].isupper() and bool(NAME_GAP.fullmatch(text[end:next_start]))
    return False


SURNAME_LINK_WORDS = frozenset({"de", "da", "do", "dos", "das", "del"})
"""Particles inside Iberian and Brazilian surnames: "Marcelino Nunes de Oliveira", "Luana ... da Silva"."""


def _ends_given_name_run(text: str, words: list[tuple[int, int, str]], link: int) -> bool:
    """Whether the particle ``words[link]`` follows a person's name: a run of capitalised words (at most
    MAX_NAME_WORDS) that starts with a given name ("Marcelino Nunes de Oliveira": "Oliveira" is no town)."""
    index = link - 1
    while index >= 0 and link - index <= MAX_NAME_WORDS and words[index][2][0].isupper():
        if not NAME_GAP.fullmatch(text[words[index][1] : words[index + 1][0]]):
            return False
        if _is_given_name(words[index][2], folded=True):
            return True
        index -= 1
    return False


def _is_given_name(word: str, folded: bool = False) -> bool:
    """A capitalised given name (``label_rules.given_names``) that is no function word of the indexed
    languages ("In", "Van", "Del" are given names too); ``folded``: also written with accents the census
    list lacks ("Andrés")."""
    listed = word.casefold() in given_names() or (folded and name_key(word) in given_names())
    return word.istitle() and listed and name_key(word) not in function_words()


def match_places(gazetteer: Gazetteer, text: str, language: str | None = None) -> list[Mention]:
    """Place mentions in ``text``, in text order; continents LOC, everything else GPE. In a language of
    CASE_ENDINGS a declined major place's name is found too, under its written form ("Polsce")."""
    words = text_words(text)
    endings = CASE_ENDINGS.get(language or "")
    admin_nouns = ADMIN_NOUNS.get(language or "")
    towns = language in LOCATIVES  # small towns are tried only in these languages
    mentions: list[Mention] = []
    index = 0
    while index < len(words):
        word = words[index][2]
        if admin_nouns and word[0].isupper() and (cued := _after_admin_noun(text, words, index, admin_nouns)):
            mentions.append(Mention(text[words[index][0] : words[index + cued - 1][1]], "GPE"))
            index += cued
            continue
        candidate = word[0].isupper() or (_has_apostrophe(word) and ELIDED_ARTICLE.match(word))
        matched, name = _match_at(gazetteer, text, words, index, language) if candidate else (0, "")
        if matched == 1 and _is_person_name_part(gazetteer, text, words, index, name):
            matched = 0
        town = _small_town_at(gazetteer, text, words, index, language) if towns and word[0].isupper() else 0
        if town > matched:  # "a Castel di Sangro", not "Castel" alone
            matched, name = town, text[words[index][0] : words[index + town - 1][1]]
        if not matched and endings and word[0].isupper():
            matched, name = _declined_at(gazetteer, text, words, index, language or "")
        elif matched == 1 and endings and name != word and declined_base(gazetteer, word, language):
            name = word  # the written form, not a cut one that is another language's name ("Budapeste")
        if matched:
            mentions.append(_mention(gazetteer, name, language))
        index += max(matched, 1)
    return mentions


def _small_town_at(
    gazetteer: Gazetteer, text: str, words: list[tuple[int, int, str]], index: int, language: str | None
) -> int:
    """How many words from ``words[index]`` name a town of ``small_towns`` right after a locative preposition
    of the text's language ("hasta Caicedo", "i Storfors"), in a country speaking that language; 0 if none.
    The name must be the whole capitalised run (not the start of "en Banco Pichincha"), and a one-word name
    no given name ("en Rosa"), function word, known organisation, word in capitals or surname elsewhere in the
    text (``_is_surname_in_text``)."""
    if index == 0 or language not in LOCATIVES:
        return 0
    _, previous_end, previous = words[index - 1]
    if previous not in LOCATIVES[language] or not NAME_GAP.fullmatch(text[previous_end : words[index][0]]):
        return 0
    count = _run_length(text, words, index)
    while count > 1 and not words[index + count - 1][2][0].isupper():
        count -= 1
    start, end = words[index][0], words[index + count - 1][1]
    name = text[start:end]
    key = name_key(name)
    countries = small_towns().get(key)
    if not countries or not any(gazetteer.speaks(country, language) for country in countries):
        return 0
    if count == 1 and (
        name.isupper()
        or name.casefold() in given_names()
        or key in STOP_NAMES
        or key in function_words()
        or key in text_function_words(language)
        or key in known_org_keys()
        or _is_surname_in_text(text, words, name)
    ):
        return 0
    return count


def _is_surname_in_text(text: str, words: list[tuple[int, int, str]], name: str) -> bool:
    """Whether the text writes ``name`` right after a given name somewhere ("Andrés Larroque"): then "en
    Larroque" is the person too ("tuvo otra vez en Larroque a su principal vocero")."""
    return any(
        word == name
        and _is_given_name(words[i - 1][2], folded=True)
        and NAME_GAP.fullmatch(text[words[i - 1][1] : start])
        for i, (start, _, word) in enumerate(words)
        if i > 0
    )


def _after_admin_noun(
    text: str, words: list[tuple[int, int, str]], index: int, admin_nouns: frozenset[str]
) -> int:
    """How many words from ``words[index]`` name the place after "<administrative noun> de" (ADMIN_NOUNS),
    the run of capitalised words (and joining words inside) up to MAX_NAME_WORDS; 0 if no such noun."""
    if index < 2:
        return 0
    (_, noun_end, noun), (link_start, link_end, link) = words[index - 2], words[index - 1]
    if link not in ADMIN_LINK_WORDS or noun not in admin_nouns:  # lower case: "Estado de S. Paulo" is a paper
        return 0
    if not (
        NAME_GAP.fullmatch(text[noun_end:link_start]) and NAME_GAP.fullmatch(text[link_end : words[index][0]])
    ):
        return 0
    count = _run_length(text, words, index)
    while count > 1 and not words[index + count - 1][2][0].isupper():
        count -= 1
    return count


def _declined_at(
    gazetteer: Gazetteer, text: str, words: list[tuple[int, int, str]], index: int, language: str
) -> tuple[int, str]:
    """(words, written form) of a declined major place's name at ``words[index]``: one word ("Polsce"), or
    two ("Wielkiej Brytanii", "Nowej Zelandii"); (0, "") if none. Not at a sentence's start, nor inside a run
    of capitalised words (an organisation's name: "Rozwoju Polski", "Polskiego Stowarzyszenia")."""
    start, end, word = words[index]
    if not word[1:].islower() or SENTENCE_START.search(text[max(0, start - 3) : start]):
        return 0, ""
    if index > 0:
        _, previous_end, previous = words[index - 1]
        adjacent = NAME_GAP.fullmatch(text[previous_end:start])
        if adjacent and previous[0].isupper() and len(previous) > SHORT_PREPOSITION_CHARS:
            return 0, ""
    following = words[index + 1] if index + 1 < len(words) else None
    if following and following[2][0].isupper() and NAME_GAP.fullmatch(text[end : following[0]]):
        pair = f"{word} {following[2]}"
        if following[2][1:].islower() and declined_base(gazetteer, pair, language):
            after = words[index + 2] if index + 2 < len(words) else None
            if not (after and after[2][0].isupper() and NAME_GAP.fullmatch(text[following[1] : after[0]])):
                return 2, text[start : following[1]]
        return 0, ""
    return (1, word) if declined_base(gazetteer, word, language) else (0, "")


@lru_cache(maxsize=WORD_MATCH_CACHE_WORDS)
def declined_base(gazetteer: Gazetteer, name: str, language: str | None) -> str | None:
    """The major place name (a gazetteer key) that ``name`` (one or two words) is a case form of in
    ``language`` (CASE_ENDINGS), None if none or if ``name`` is a name as it is."""
    endings = CASE_ENDINGS.get(language or "")
    if not endings:
        return None
    key = name_key(name)
    if (
        len(key) < DECLINED_MIN_CHARS
        or gazetteer.lookup_key(key)
        or key in STOP_NAMES
        or name.casefold() in given_names()  # "Valentin" is no "Valentia" + "n"
    ):
        return None
    *firsts, last = key.split(" ")
    if len(firsts) > 1:
        return None
    for cut in range(len(last) - DECLINED_STEM_MIN_CHARS, -1, -1):
        stem, ending = last[: len(last) - cut], last[len(last) - cut :]
        if cut and ending not in endings:
            continue
        for base in declinable_names(gazetteer).get((len(firsts), stem), ()):
            base_last = base.rsplit(" ", 1)[-1]
            if (cut or len(base_last) == len(stem) + 1) and (  # no ending: one vowel dropped ("Czech")
                not firsts or _declines(firsts[0], base.split(" ", 1)[0], endings)
            ):
                return base  # the longest ending first, then the index's order
    return None


def _declines(word: str, base: str, endings: tuple[str, ...]) -> bool:
    """Whether ``word`` is ``base`` (a name's first word, often an adjective: "Wielka" -> "Wielkiej") in a
    case form: the same, or ``base`` cut by up to DECLINED_STEM_CUT letters plus an ending."""
    if word == base:
        return True
    for cut in range(DECLINED_STEM_CUT + 1):
        stem = base[: len(base) - cut]
        if (
            len(stem) >= DECLINED_STEM_MIN_CHARS - 1
            and word.startswith(stem)
            and word[len(stem) :] in endings
        ):
            return True
    return False


@cache
def declinable_names(gazetteer: Gazetteer) -> dict[tuple[int, str], tuple[str, ...]]:
    """(words before the last, stem of the last word) -> major places' name keys of one or two words, the
    stem being the last word cut by 0..DECLINED_STEM_CUT letters (at least DECLINED_STEM_MIN_CHARS): the
    index ``declined_base`` looks a written form's stems up in. Built once per process (~0.5 s)."""
    index: dict[tuple[int, str], list[str]] = {}
    keys = gazetteer.keys()
    for key in keys:
        parts = key.split(" ")
        if len(parts) > 2 or key in STOP_NAMES or not _is_major_place(gazetteer, key):
            continue
        last = parts[-1]
        for cut in range(DECLINED_STEM_CUT + 1):
            stem = last[: len(last) - cut]
            if len(stem) >= DECLINED_STEM_MIN_CHARS and "-" not in stem:
                index.setdefault((len(parts) - 1, stem), []).append(key)
    return {stem: tuple(keys) for stem, keys in index.items()}
