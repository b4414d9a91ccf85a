"""Towns under the gazetteer's floor after a locative preposition, and surname particles (session 13).

Pure: the real gazetteer and ``ingest/data/small_towns.tsv``, no model. Texts are sentences written for
these tests."""

from __future__ import annotations

import pytest

from ingest.gazetteer import Gazetteer, get_gazetteer
from ingest.place_matcher import match_places
from ingest.small_towns import LOCATIVES, small_towns


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return get_gazetteer()


def _places(gazetteer: Gazetteer, text: str, language: str | None) -> list[str]:
    return [m.text for m in match_places(gazetteer, text, language)]


def test_the_town_list_holds_small_towns_the_gazetteer_lacks(gazetteer: Gazetteer) -> None:
    towns = small_towns()
    assert towns["storfors"] == {"SE"} and "IT" in towns["castel di sangro"]
    assert not gazetteer.lookup("Storfors")
    assert "roma" not in towns  # in the gazetteer already: the list holds only what it lacks
    assert all(language not in LOCATIVES for language in ("en", "fr", "de", "pl", "fi"))


def test_a_small_town_after_a_locative_preposition_is_a_place(gazetteer: Gazetteer) -> None:
    text = "Le segnalazioni vanno dalla valle a Castel di Sangro, dove è stato visto un orso."
    assert _places(gazetteer, text, "it") == ["Castel di Sangro"]
    assert _places(gazetteer, "Eleverna bodde i Storfors under vintern.", "sv") == ["Storfors"]
    mentions = match_places(gazetteer, "Eleverna bodde i Storfors under vintern.", "sv")
    assert [m.label for m in mentions] == ["GPE"]


def test_a_small_town_needs_the_preposition_and_a_country_speaking_the_language(gazetteer: Gazetteer) -> None:
    assert _places(gazetteer, "Storfors är en liten ort.", "sv") == []  # no locative before it
    assert _places(gazetteer, "El equipo viajó en Storfors el lunes.", "es") == []  # Sweden speaks no Spanish
    assert _places(gazetteer, "Eleverna bodde i Storfors under vintern.", "en") == []  # a model language


def test_a_small_town_name_must_be_the_whole_capitalised_run(gazetteer: Gazetteer) -> None:
    assert _places(gazetteer, "Le lavori continuano a Castel di Sangro Calcio da mesi.", "it") == []


def test_a_small_town_that_the_text_gives_a_person_as_surname_is_no_place(gazetteer: Gazetteer) -> None:
    assert small_towns().get("larroque")
    text = "El ministro Andrés Larroque habló hoy. El partido tuvo otra vez en Larroque a su vocero."
    assert _places(gazetteer, text, "es") == []


def test_a_town_after_a_surname_particle_of_a_persons_name_is_a_surname(gazetteer: Gazetteer) -> None:
    assert gazetteer.lookup("Oliveira")
    text = "O secretário Marcelino Nunes de Oliveira falou com a imprensa."
    assert _places(gazetteer, text, "pt") == []
    assert _places(gazetteer, "Pilar del Río habló con la prensa.", "es") == []


def test_more_first_level_regions_never_over_a_place_of_that_own_name(gazetteer: Gazetteer) -> None:
    assert [p.name for p in gazetteer.lookup("Molise")] == ["Molise"]
    assert gazetteer.lookup("Basilicata")[0].kind == "region"
    assert gazetteer.lookup("Minas Gerais")[0].country == "BR"
    assert gazetteer.lookup("Bahia")[0].kind == "region"  # was only an alternate name of Salvador
    assert gazetteer.lookup("Stockholm")[0].kind == "city"  # the region of that name is left to the city
    assert all(p.kind == "city" for p in gazetteer.lookup("Utrecht"))
    assert gazetteer.lookup("Limburg")[0].country == "DE"  # left out: also a Belgian province, a German town
    # "Marche" left out: folded, it is German "Märche(n)" without its ending
    assert not any(p.kind == "region" and p.country == "IT" for p in gazetteer.lookup("Marche"))
    text = "Sono arrivati in Basilicata e nel Molise."
    assert _places(gazetteer, text, "it") == ["Basilicata", "Molise"]
