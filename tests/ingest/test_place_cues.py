"""German places beyond the gazetteer by context evidence (pure: the real gazetteer, no model, no servers)."""

from __future__ import annotations

import pytest

from ingest.enrich import Enricher, EnrichInput
from ingest.entity_linking import gazetteer_name
from ingest.entity_registry import EntityRegistry
from ingest.gazetteer import Gazetteer, get_gazetteer
from ingest.place_cues import cued_places, features
from ingest.place_matcher import match_places


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return get_gazetteer()


def _places(text: str) -> dict[str, tuple[str, int | None]]:
    """Final places of a German text through the whole enricher: name -> (label, GeoNames id)."""
    enricher = Enricher(registry=EntityRegistry(None))
    enrichment = enricher.enrich_batch([EnrichInput(text, None, "de", None)])[0]
    return {e.text: (e.label, e.geonames_id) for e in enrichment.entities if e.label in ("GPE", "LOC")}


def test_a_district_after_landkreis_is_a_place_without_the_towns_id() -> None:
    places = _places(
        "Im Landkreis Pinneberg hat die Feuerwehr am Dienstag einen Brand gelöscht. Die Einsatzkräfte "
        "kamen aus mehreren Orten, wie ein Sprecher der Kreisverwaltung am Abend mitteilte."
    )
    assert places == {"Pinneberg": ("GPE", None)}  # the gazetteer's Pinneberg is the town


def test_a_village_after_a_locative_word_with_a_place_ending_and_a_town_in_parentheses_district() -> None:
    places = _places(
        "Der Unfall ereignete sich am Montagmorgen bei Simmelsdorf, wie die Polizei mitteilte. Der Fahrer "
        "stammt aus Flörsheim (Main-Taunus) und wurde leicht verletzt."
    )
    assert places["Simmelsdorf"] == ("GPE", None)
    assert places["Main-Taunus"] == ("GPE", None)
    assert places["Flörsheim"] == ("GPE", 2926120)  # a gazetteer town under the matcher's 30,000


def test_a_river_and_a_sea_from_the_table_are_places_without_ids() -> None:
    places = _places(
        "Das Hochwasser an der Elbe hat Dresden erreicht. Die Pegel steigen, bevor das Wasser in die "
        "Nordsee abfließt. Auch an der Oder wird mit Überschwemmungen gerechnet."
    )
    assert places["Elbe"] == ("LOC", None) and places["Nordsee"] == ("LOC", None)
    assert places["Oder"] == ("LOC", None)  # "Oder" needs an article before it: "oder" is a conjunction
    assert places["Dresden"] == ("GPE", 2935022)


def test_capitalised_nouns_after_locative_words_are_no_places() -> None:
    text = (
        "Das Gesetz tritt in Kraft, sobald es verkündet ist. In Zukunft gelten die Regeln bei Bedarf "
        "auch nach Angaben der Behörde aus Sicht der Länder. Oder sie gelten nicht. Vom Keller bis zum "
        "Dach wurde in Hauptstadt und Umland gebaut; nach Kant ist das vernünftig."
    )
    assert _places(text) == {}


def test_a_conjunction_or_a_river_name_after_an_organisation_head_is_no_place(gazetteer: Gazetteer) -> None:
    text = "Oder doch nicht? Ein Astronom der Sternwarte Neumünster sprach an der Universität Delaware."
    matched = match_places(gazetteer, text)
    cued = cued_places(gazetteer, text, matched)
    assert not cued.mentions
    assert {"Neumünster", "Delaware"} <= cued.table_names  # dropped from the matcher's places


def test_a_town_name_ending_in_a_river_is_not_the_river(gazetteer: Gazetteer) -> None:
    text = "Er wohnt in Frankfurt am Main und fährt oft nach Halle/Saale."
    cued = cued_places(gazetteer, text, match_places(gazetteer, text))
    assert not {"Main", "Saale"} & {m.text for m in cued.mentions}


def test_declined_adjectives_and_st_find_the_gazetteer_place(gazetteer: Gazetteer) -> None:
    assert gazetteer_name(gazetteer, "Vereinigten Arabischen Emirate") == "Vereinigte Arabische Emirate"
    places = _places("Die Reise führte in die Vereinigten Arabischen Emirate und danach nach St. Petersburg.")
    assert places["United Arab Emirates"] == ("GPE", 290557)
    assert places["Saint Petersburg"] == ("GPE", 498817)


def test_every_table_name_has_a_place_label() -> None:
    assert features() and all(f.label in ("GPE", "LOC") for f in features().values())
    assert "Oder" in features() and features()["Oder"].needs_article
