"""Town names that are also common nouns, read from the words before them (pure: the real gazetteer and the
shipped German noun list, no model, no servers)."""

from __future__ import annotations

import pytest

from ingest.entity_merge import Mention
from ingest.gazetteer import Gazetteer, get_gazetteer
from ingest.place_context import in_org_name, noun_names, reading, without_common_nouns
from ingest.place_matcher import match_places


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return get_gazetteer()


def _places(gazetteer: Gazetteer, text: str, language: str) -> list[str]:
    mentions = match_places(gazetteer, text, language)
    return [m.text for m in without_common_nouns(gazetteer, text, mentions, language)]


def test_the_german_noun_list_knows_leiden_as_noun_and_place_and_geraet_as_noun_only() -> None:
    assert noun_names()["Leiden"] is True  # "das Leiden" and the Dutch town
    assert noun_names()["Gerät"] is False  # a device; an alternate name of Herat
    assert "Berlin" not in noun_names()


def test_a_german_determiner_or_adjective_reads_a_noun_and_a_locative_preposition_a_place() -> None:
    text = "Sie ertrug die Leiden still. Ihr seelisches Leiden ist groß. Er studiert in Leiden."
    starts = [i for i in range(len(text)) if text.startswith("Leiden", i)]
    assert [reading(text, start, "de") for start in starts] == ["noun", "noun", "place"]


def test_an_adjective_after_im_is_no_evidence_for_a_noun() -> None:
    text = "Schon im alten Rom galt das."
    assert reading(text, text.index("Rom"), "de") is None


def test_a_german_town_that_is_also_a_noun_is_dropped_when_used_as_a_noun(gazetteer: Gazetteer) -> None:
    noun = "Die Leiden der Patienten sind groß, sagte die Ärztin. Ein Adler kreiste über dem Feld."
    assert _places(gazetteer, noun, "de") == []
    town = "Die Ärztin arbeitet seit Jahren in Leiden. Leiden liegt nahe der Küste."
    assert _places(gazetteer, town, "de") == ["Leiden", "Leiden"]


def test_a_german_noun_that_is_no_proper_name_needs_a_locative_preposition(gazetteer: Gazetteer) -> None:
    text = "Das Gerät ist neu. Gerät und Zubehör kosten zusammen wenig."
    assert "Gerät" in [m.text for m in match_places(gazetteer, text, "de")]  # Herat's alternate name
    assert _places(gazetteer, text, "de") == []


def test_a_spanish_article_makes_a_town_name_a_noun(gazetteer: Gazetteer) -> None:
    text = "El Congreso aprobó la nueva Constitución y la Constitución entra en vigor en mayo."
    assert "Constitución" in [m.text for m in match_places(gazetteer, text, "es")]
    assert _places(gazetteer, text, "es") == []
    town = "La gira terminó en Constitución, al sur de Santiago."
    assert "Constitución" in _places(gazetteer, town, "es")


def test_countries_and_multiword_names_keep_their_article() -> None:
    text = "la Argentina y la Florida"
    mentions = [Mention("Argentina", "GPE"), Mention("Florida", "GPE")]
    assert [m.text for m in without_common_nouns(get_gazetteer(), text, mentions, "es")] == [
        "Argentina",
        "Florida",
    ]


def test_languages_without_rules_are_left_as_they_are(gazetteer: Gazetteer) -> None:
    mentions = [Mention("Constitución", "GPE")]
    assert without_common_nouns(gazetteer, "la Constitución", mentions, "pl") == tuple(mentions)


def test_a_place_only_inside_an_institutions_name_is_no_place(gazetteer: Gazetteer) -> None:
    text = "La Fiscalía General de Colombia abrió una investigación, informó el Partido Comunista de Cuba."
    assert _places(gazetteer, text, "es") == []
    elsewhere = "La Fiscalía General de Colombia abrió una investigación en Colombia."
    assert _places(gazetteer, elsewhere, "es") == ["Colombia", "Colombia"]


def test_an_elided_link_and_a_list_of_places_stay_inside_the_name() -> None:
    text = "Gli orsi del Parco Nazionale d'Abruzzo Lazio e Molise sono 16."
    assert [in_org_name(text, text.index(n), "it") for n in ("Abruzzo", "Lazio", "Molise")] == [True] * 3
    assert not in_org_name("la Comunidad de Madrid", len("la Comunidad de "), "es")  # a region


def test_a_german_noun_cut_by_the_matcher_is_judged_as_written(gazetteer: Gazetteer) -> None:
    text = "Die Hamas griff an, die Hamas sagte nichts."
    assert "Hama" in [m.text for m in match_places(gazetteer, text, "de")]  # Hamm's alternate, cut
    assert _places(gazetteer, text, "de") == []
