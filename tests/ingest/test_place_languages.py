"""Places in languages without a model other than German (session 12): CLDR names, case endings, cue nouns.

Pure: the real gazetteer, no model, no servers. Texts are small sentences written for these tests."""

from __future__ import annotations

import pytest

from ingest.entity_linking import link_entities
from ingest.entity_merge import merge_mentions
from ingest.gazetteer import Gazetteer, get_gazetteer
from ingest.place_matcher import declined_base, match_places


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return get_gazetteer()


def _places(gazetteer: Gazetteer, text: str, language: str | None) -> list[str]:
    return [m.text for m in match_places(gazetteer, text, language)]


def test_country_names_in_further_languages_but_never_over_another_place(gazetteer: Gazetteer) -> None:
    assert [p.name for p in gazetteer.lookup("Polska")] == ["Poland"]
    assert [p.name for p in gazetteer.lookup("Ryssland")] == ["Russia"]
    assert gazetteer.lookup("Nowa Zelandia")[0].name == "New Zealand"
    # "Brasilia" (Brazil in Finnish) stays the capital, "Columbia" (Colombia in Romanian) the US cities
    assert all(p.kind == "city" for p in gazetteer.lookup("Brasilia"))
    assert all(p.country == "US" for p in gazetteer.lookup("Columbia"))


def test_polish_case_forms_are_places_under_their_written_form(gazetteer: Gazetteer) -> None:
    text = (
        "Minister był w Krakowie, a potem w Warszawie. Ludzie mieszkają na Ukrainie i do Rosji, "
        "a także do Wielkiej Brytanii. W Polsce bezrobocie spadło."
    )
    assert _places(gazetteer, text, "pl") == [
        "Krakowie",
        "Warszawie",
        "Ukrainie",
        "Rosji",
        "Wielkiej Brytanii",
        "Polsce",
    ]
    entities = link_entities(gazetteer, merge_mentions(match_places(gazetteer, text, "pl")), "PL", "pl")
    linked = {e.text: e for e in entities}
    assert (linked["Kraków"].geonames_id, linked["Kraków"].forms) == (3094802, ["Krakowie"])
    assert linked["Poland"].kind == "country" and "Polsce" in linked["Poland"].forms
    assert linked["United Kingdom"].forms == ["Wielkiej Brytanii"]
    assert {"Warsaw", "Ukraine", "Russia"} <= set(linked)


def test_case_forms_only_in_a_language_that_declines_names(gazetteer: Gazetteer) -> None:
    text = "Minister był w Krakowie i w Polsce."
    assert _places(gazetteer, text, None) == []
    assert _places(gazetteer, text, "es") == []
    assert declined_base(gazetteer, "Krakowie", "de") is None


def test_words_that_only_look_like_declined_places_are_not_places(gazetteer: Gazetteer) -> None:
    # demonyms, a sentence-initial adjective, an organisation's name, short words, a given name
    text = (
        "Rosjanie protestowali. Polski rząd milczy. Stowarzyszenie Rozwoju Polski im. Jana działa. "
        "Mini kostki. O tym pisze Mato evangelijoje, a Valentin napot."
    )
    assert _places(gazetteer, text, "pl") == []
    assert declined_base(gazetteer, "Valentin", "hu") is None
    assert declined_base(gazetteer, "Mato", "lt") is None


def test_finnish_and_hungarian_case_endings(gazetteer: Gazetteer) -> None:
    assert _places(gazetteer, "Kokous pidettiin tänään Tukholmassa ja Saksassa.", "fi") == [
        "Tukholmassa",
        "Saksassa",
    ]
    assert _places(gazetteer, "A miniszter tegnap Budapesten és Ausztriában tárgyalt.", "hu") == [
        "Budapesten",
        "Ausztriában",
    ]


def test_a_place_after_a_spanish_administrative_noun_is_one_mention(gazetteer: Gazetteer) -> None:
    text = "La escuela está en el departamento de Cerro Largo, cerca de la frontera con Brasil."
    assert _places(gazetteer, text, "es") == ["Cerro Largo", "Brasil"]
    # a capitalised noun is part of a name (a newspaper), not a cue
    assert _places(gazetteer, "Lo informa el Estado de Sergipe Hoy.", "pt") != ["Sergipe Hoy"]


def test_a_town_right_after_a_given_name_is_a_surname(gazetteer: Gazetteer) -> None:
    """Session 13: Spanish surnames are often towns; "In" (a census given name) is a preposition."""
    text = "El técnico Roberto Córdoba llegó a Córdoba el lunes. In London regnet es."
    assert _places(gazetteer, text, "es") == ["Córdoba", "London"]


def test_a_stop_word_of_the_texts_own_language_is_no_town(gazetteer: Gazetteer) -> None:
    """Session 13: Norwegian "Det" (it) is an alternate name of a Thai town; Indonesian "Lima" is five."""
    assert _places(gazetteer, "Det var en fin dag i Oslo.", "no") == ["Oslo"]
    assert _places(gazetteer, "Lima orang tewas di Jakarta.", "id") == ["Jakarta"]
    assert "Lima" in _places(gazetteer, "Lima es la capital del Perú.", "es")
