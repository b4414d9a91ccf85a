"""Labels, places and demonyms against the real gazetteer (pure: no model, no servers)."""

from __future__ import annotations

import pytest

from ingest.entity_linking import link_entities
from ingest.entity_merge import Mention, merge_mentions
from ingest.gazetteer import Gazetteer, country_of_domain, get_gazetteer
from ingest.label_rules import LABEL_RULES, correct_mention_labels
from ingest.place_matcher import match_places
from schemas.article import Entity


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return get_gazetteer()


def _linked(gazetteer: Gazetteer, mentions: list[tuple[str, str]], source: str | None = None) -> dict:
    entities = merge_mentions(Mention(text, label) for text, label in mentions)
    return {e.text: e for e in link_entities(gazetteer, entities, country_of_domain(source))}


def test_every_label_rule_gives_its_reason() -> None:
    assert all(rule.reason for rule in LABEL_RULES)


def test_label_corrections_place_demonym_outlet_platform(gazetteer: Gazetteer) -> None:
    linked = _linked(
        gazetteer,
        [
            ("Crimea", "ORG"),
            ("Ukrainian", "GPE"),
            ("Truth Social", "FAC"),
            ("Reuters", "GPE"),
            ("Kyiv", "PERSON"),
        ],
    )
    assert (linked["Crimea"].label, linked["Crimea"].kind, linked["Crimea"].geonames_id) == (
        "GPE",
        "region",
        703883,
    )
    assert (linked["Ukrainian"].label, linked["Ukrainian"].country) == ("NORP", "UA")
    assert linked["Truth Social"].label == "ORG" and linked["Reuters"].label == "ORG"
    assert (linked["Kyiv"].label, linked["Kyiv"].country) == ("GPE", "UA")


def test_a_person_or_org_the_gazetteer_does_not_know_keeps_its_label(gazetteer: Gazetteer) -> None:
    linked = _linked(gazetteer, [("Angela Merkel", "PERSON"), ("Supreme Court", "ORG")])
    assert linked["Angela Merkel"].label == "PERSON" and linked["Supreme Court"].label == "ORG"
    assert linked["Supreme Court"].geonames_id is None


def test_paris_is_french_alone_or_beside_france_and_texan_beside_texas(gazetteer: Gazetteer) -> None:
    assert _linked(gazetteer, [("Paris", "GPE")])["Paris"].country == "FR"
    assert _linked(gazetteer, [("Paris", "GPE"), ("France", "GPE")])["Paris"].country == "FR"
    texan = _linked(gazetteer, [("Paris", "GPE"), ("Texas", "GPE")])["Paris"]
    assert (texan.country, texan.geonames_id, texan.kind) == ("US", 4717560, "city")
    assert texan.lat == pytest.approx(33.66, abs=0.01)


def test_demonyms_link_to_their_country_with_one_id(gazetteer: Gazetteer) -> None:
    linked = _linked(gazetteer, [("Russian", "NORP"), ("Ukrainians", "NORP"), ("French", "NORP")])
    assert {name: e.country for name, e in linked.items()} == {
        "Russian": "RU",
        "Ukrainians": "UA",
        "French": "FR",
    }
    assert linked["Ukrainians"].id == "norp:ukrainian"


def test_one_place_under_two_names_becomes_one_entity(gazetteer: Gazetteer) -> None:
    linked = _linked(gazetteer, [("U.S.", "GPE"), ("United States", "GPE"), ("US", "GPE")])
    assert list(linked) == ["United States"]
    assert linked["United States"].mentions == 3 and linked["United States"].id == "place:6252001"


def test_german_text_gets_its_places_without_a_model(gazetteer: Gazetteer) -> None:
    text = (
        "Die Bundesregierung in Berlin kritisierte am Montag Moskau. Russlands Truppen stehen auf der Krim, "
        "sagte ein Sprecher in Frankfurt am Main. Essen gab es keines. Die USA und Frankreich schwiegen."
    )
    entities = link_entities(gazetteer, merge_mentions(match_places(gazetteer, text)), "DE")
    assert [(e.text, e.kind, e.country) for e in entities] == [
        ("Berlin", "city", "DE"),
        ("Moscow", "city", "RU"),
        ("Russia", "country", "RU"),
        ("Crimea", "region", "UA"),
        ("Frankfurt am Main", "city", "DE"),
        ("United States", "country", "US"),
        ("France", "country", "FR"),
    ]
    assert "Krim" in entities[3].forms


def test_a_case_ending_or_elided_article_at_an_apostrophe_is_not_part_of_the_place(
    gazetteer: Gazetteer,
) -> None:
    turkish = "Bakan Ankara'da konuştu, sonra İstanbul’a geçti. New York'ta Türkiye'nin sesi duyuldu."
    assert [m.text for m in match_places(gazetteer, turkish)] == ["Ankara", "İstanbul", "New York", "Türkiye"]
    italian = "La guerra dell'Ucraina divide l'Europa; all'Italia serve gas."
    assert [m.text for m in match_places(gazetteer, italian)] == ["Ucraina", "Europa", "Italia"]
    # a long tail is a word of its own, a lower-case name after an article no place
    assert match_places(gazetteer, "O'Connell sprach über l'italia und dell'acqua.") == []


def test_matching_keeps_to_token_boundaries_and_capitals(gazetteer: Gazetteer) -> None:
    assert match_places(gazetteer, "Parisienne und pariser Mode, Berliner Luft.") == []


def test_source_country_from_the_domain() -> None:
    assert [country_of_domain(d) for d in ("lemonde.fr", "bbc.co.uk", "cnn.com", "x.io", None)] == [
        "FR",
        "GB",
        None,
        None,
        None,
    ]


def test_entities_without_a_place_keep_no_geonames_id(gazetteer: Gazetteer) -> None:
    entity = Entity(text="Atlantis Prime", label="GPE", mentions=1)
    (linked,) = link_entities(gazetteer, [entity], None)
    assert linked.geonames_id is None and linked.id is None


def test_head_words_give_facilities_natural_places_events_laws_peoples(gazetteer: Gazetteer) -> None:
    linked = _linked(
        gazetteer,
        [
            ("Miller Drive", "PERSON"),
            ("Stamford Bridge", "ORG"),
            ("Rocky Mountain", "ORG"),
            ("Banking Forum", "ORG"),
            ("Access to Information Act", "ORG"),
            ("Lummi Nation", "ORG"),
            ("Menlo Park", "GPE"),
        ],
    )
    assert {name: e.label for name, e in linked.items()} == {
        "Miller Drive": "FAC",
        "Stamford Bridge": "FAC",
        "Rocky Mountain": "LOC",
        "Banking Forum": "EVENT",
        "Access to Information Act": "LAW",
        "Lummi Nation": "NORP",
        "Menlo Park": "GPE",  # the gazetteer knows it: no head rule
    }


def test_organisation_words_and_companies_make_organisations(gazetteer: Gazetteer) -> None:
    linked = _linked(
        gazetteer,
        [("Miami-Dade County Public Schools", "GPE"), ("Nvidia", "PERSON"), ("University of Ohio", "GPE")],
    )
    assert {name: e.label for name, e in linked.items()} == {
        "Miami-Dade County Public Schools": "ORG",
        "Nvidia": "ORG",
        "University of Ohio": "ORG",
    }
    assert _linked(gazetteer, [("West Bank", "GPE")])["West Bank"].label == "GPE"


def test_a_locative_word_makes_a_gazetteer_town_a_place(gazetteer: Gazetteer) -> None:
    mentions = [Mention("Dedham", "PERSON", before="in"), Mention("French", "NORP", before="in")]
    corrected = correct_mention_labels(gazetteer, mentions)
    assert [m.label for m in corrected] == ["GPE", "NORP"]
    assert correct_mention_labels(gazetteer, [Mention("Dedham", "PERSON", before="of")])[0].label == "PERSON"


def test_a_town_of_a_region_or_country_the_article_names_is_a_place(gazetteer: Gazetteer) -> None:
    beside_region = _linked(gazetteer, [("Massachusetts", "GPE"), ("Dedham", "PERSON")])
    assert (beside_region["Dedham"].label, beside_region["Dedham"].country) == ("GPE", "US")
    assert _linked(gazetteer, [("Dedham", "PERSON")])["Dedham"].label == "PERSON"
    beside_country = _linked(gazetteer, [("Ukraine", "GPE"), ("Kourakhové", "PERSON")])
    assert beside_country["Kurakhove"].label == "GPE"  # the gazetteer's name; the French one in forms
    louvre = _linked(gazetteer, [("France", "GPE"), ("Louvre", "PERSON")])
    assert louvre["Louvre"].label == "PERSON"  # an arrondissement's alternate name, not a town


def test_demonyms_of_one_country_are_one_entity(gazetteer: Gazetteer) -> None:
    linked = _linked(gazetteer, [("Palestinians", "NORP"), ("Palestinian", "NORP")])
    assert len(linked) == 1
    [entity] = linked.values()
    assert entity.mentions == 2 and set(entity.forms) >= {"Palestinians", "Palestinian"}


def test_political_religious_and_ethnic_groups_are_norp(gazetteer: Gazetteer) -> None:
    linked = _linked(gazetteer, [("Republican", "ORG"), ("Basotho", "PERSON"), ("Muslims", "GPE")])
    assert {name: e.label for name, e in linked.items()} == {
        "Republican": "NORP",
        "Basotho": "NORP",
        "Muslims": "NORP",
    }


def test_a_norp_that_is_only_a_town_name_becomes_the_town(gazetteer: Gazetteer) -> None:
    linked = _linked(gazetteer, [("Cheorwon", "NORP"), ("Brits", "NORP"), ("Korean", "NORP")])
    assert (linked["Cheorwon"].label, linked["Cheorwon"].country) == ("GPE", "KR")
    assert linked["Brits"].label == "NORP" and linked["Korean"].label == "NORP"


def test_a_group_named_as_noun_plural_and_adjective_is_one_entity_with_one_id(gazetteer: Gazetteer) -> None:
    linked = _linked(gazetteer, [("Democrats", "NORP"), ("Democrats", "NORP"), ("Democratic", "NORP")])
    assert list(linked) == ["Democrats"]
    assert set(linked["Democrats"].forms) == {"Democrats", "Democratic"}
    assert _linked(gazetteer, [("Democrat", "NORP")])["Democrat"].id == linked["Democrats"].id


def test_a_web_address_an_initialled_name_and_a_museum_get_their_labels(gazetteer: Gazetteer) -> None:
    linked = _linked(
        gazetteer,
        [("BVINEWS.COM", "PERSON"), ("J. Jenkins", "GPE"), ("Musée Guimet", "FAC"), ("D.C.", "GPE")],
    )
    assert {name: e.label for name, e in linked.items()} == {
        "BVINEWS.COM": "ORG",
        "J. Jenkins": "PERSON",
        "Musée Guimet": "ORG",
        "Washington": "GPE",
    }


def test_azores_madeira_and_bvi_are_places(gazetteer: Gazetteer) -> None:
    linked = _linked(gazetteer, [("Azores", "PERSON"), ("Madeira", "ORG"), ("BVI", "ORG")])
    assert {e.text: (e.label, e.country) for e in linked.values()} == {
        "Azores": ("GPE", "PT"),
        "Madeira": ("GPE", "PT"),
        "British Virgin Islands": ("GPE", "VG"),
    }


def test_a_law_without_a_word_of_legal_texts_is_a_title(gazetteer: Gazetteer) -> None:
    linked = _linked(
        gazetteer, [("Basket of Wild Strawberries", "LAW"), ("Access to Information Act", "LAW")]
    )
    assert {name: e.label for name, e in linked.items()} == {
        "Basket of Wild Strawberries": "WORK_OF_ART",
        "Access to Information Act": "LAW",
    }


def test_a_named_speech_or_ceremony_is_an_event(gazetteer: Gazetteer) -> None:
    linked = _linked(
        gazetteer, [("King’s Speech", "ORG"), ("Opening Ceremony", "ORG"), ("Anime Con", "PERSON")]
    )
    assert {name: e.label for name, e in linked.items()} == {
        "King’s Speech": "EVENT",
        "Opening Ceremony": "EVENT",
        "Anime Con": "EVENT",
    }


def test_regions_across_countries_oceans_and_compass_parts_are_locations(gazetteer: Gazetteer) -> None:
    linked = _linked(
        gazetteer,
        [
            ("Proche-Orient", "GPE"),
            ("Sahel", "ORG"),
            ("Afrique de l'Ouest", "GPE"),
            ("Pacifique Sud", "GPE"),
            ("Eastern Europe", "GPE"),
            ("Northern Ireland", "GPE"),
            ("Corée du Nord", "GPE"),
            ("East Harlem", "GPE"),
        ],
    )
    labels = {name: e.label for name, e in linked.items()}
    assert labels["Proche-Orient"] == labels["Sahel"] == labels["Afrique de l'Ouest"] == "LOC"
    assert labels["Pacifique Sud"] == labels["Eastern Europe"] == "LOC"
    # a whole gazetteer name (a country, a region) and a city's district stay GPE
    assert labels["Northern Ireland"] == labels["North Korea"] == labels["East Harlem"] == "GPE"


def test_a_name_starting_with_a_common_given_name_is_a_person(gazetteer: Gazetteer) -> None:
    linked = _linked(
        gazetteer,
        [
            ("Margaret Okafor", "ORG"),
            ("Helen de Vries", "GPE"),
            ("Le Figaro", "PERSON"),
            ("Christian Democrats", "ORG"),
            ("Paris Guest House", "ORG"),
            ("Morgan & Morgan", "ORG"),
            ("Ruth Bader Ginsburg Foundation", "ORG"),
        ],
    )
    labels = {name: e.label for name, e in linked.items()}
    assert labels["Margaret Okafor"] == labels["Helen de Vries"] == "PERSON"
    # an article, a group word, a place, "&" or an organisation word before or in the name: not a person
    assert labels["Le Figaro"] == labels["Morgan & Morgan"] == "ORG"
    assert labels["Ruth Bader Ginsburg Foundation"] == "ORG"
    assert labels["Christian Democrats"] != "PERSON" and labels["Paris Guest House"] != "PERSON"


def test_national_news_agencies_are_organisations(gazetteer: Gazetteer) -> None:
    linked = _linked(gazetteer, [("Keystone-ATS", "GPE"), ("Yonhap", "PERSON"), ("Belga", "LOC")])
    assert {name: e.label for name, e in linked.items()} == {
        "Keystone-ATS": "ORG",
        "Yonhap": "ORG",
        "Belga": "ORG",
    }


def test_former_states_are_gpe_without_a_place_id(gazetteer: Gazetteer) -> None:
    linked = _linked(gazetteer, [("URSS", "ORG"), ("Czechoslovakia", "ORG"), ("Radio Free Europe", "ORG")])
    assert linked["URSS"].label == linked["Czechoslovakia"].label == "GPE"
    assert linked["URSS"].geonames_id is None  # GeoNames holds current countries only
    assert linked["Radio Free Europe"].label == "ORG"


def test_two_word_heads_make_bus_stands_and_guest_houses_facilities(gazetteer: Gazetteer) -> None:
    linked = _linked(gazetteer, [("Mbeya Bus Stand", "PERSON"), ("Lakeside Guest House", "ORG")])
    labels = {name: e.label for name, e in linked.items()}
    assert labels["Mbeya Bus Stand"] == labels["Lakeside Guest House"] == "FAC"
    assert _linked(gazetteer, [("Bus Stand", "ORG")])["Bus Stand"].label == "ORG"  # the head alone: no name


def test_a_name_starting_with_an_indefinite_article_is_a_title(gazetteer: Gazetteer) -> None:
    linked = _linked(
        gazetteer, [("A Quiet Harbour", "ORG"), ("An Evening in Lyon", "PERSON"), ("A Coruña", "ORG")]
    )
    labels = {name: e.label for name, e in linked.items()}
    assert labels["A Quiet Harbour"] == labels["An Evening in Lyon"] == "WORK_OF_ART"
    assert labels["A Coruña"] == "GPE"  # a place whose own name starts so


def test_a_name_ending_in_a_year_is_an_event(gazetteer: Gazetteer) -> None:
    linked = _linked(
        gazetteer, [("Harbour Regatta 2025", "ORG"), ("Lyon 2031", "GPE"), ("Class 2000 Group", "ORG")]
    )
    labels = {name: e.label for name, e in linked.items()}
    assert labels["Harbour Regatta 2025"] == labels["Lyon 2031"] == "EVENT"
    assert labels["Class 2000 Group"] == "ORG"  # the year is not last


def test_a_facility_named_by_its_kind_alone_is_a_facility(gazetteer: Gazetteer) -> None:
    assert _linked(gazetteer, [("Turnpike", "ORG")])["Turnpike"].label == "FAC"
    assert _linked(gazetteer, [("Ocean", "ORG")])["Ocean"].label == "ORG"  # only facility kinds alone


def test_a_compass_part_of_a_city_is_a_district(gazetteer: Gazetteer) -> None:
    linked = _linked(gazetteer, [("North Leeds", "LOC"), ("Southern Europe", "GPE")])
    assert linked["North Leeds"].label == "GPE" and linked["Southern Europe"].label == "LOC"


def test_a_row_that_confirms_the_label_stops_later_rows(gazetteer: Gazetteer) -> None:
    linked = _linked(gazetteer, [("Morgan Stanley", "ORG"), ("Grace Union", "ORG")])
    # a known company stays ORG (not a person whose given name is Morgan); an organisation word too
    assert linked["Morgan Stanley"].label == linked["Grace Union"].label == "ORG"


def test_a_plural_nickname_in_sports_news_is_a_team(gazetteer: Gazetteer) -> None:
    sports = _linked(gazetteer, [("Premier League", "ORG"), ("Magpies", "PERSON"), ("Hornets", "NORP")])
    assert sports["Magpies"].label == sports["Hornets"].label == "ORG"
    # without a competition named, or a nationality / given name, the model's label stays
    assert _linked(gazetteer, [("Magpies", "PERSON")])["Magpies"].label == "PERSON"
    other = _linked(gazetteer, [("Champions League", "EVENT"), ("Brazilians", "NORP"), ("Charles", "PERSON")])
    assert other["Brazilians"].label == "NORP" and other["Charles"].label == "PERSON"


def test_the_given_name_row_keeps_places_things_and_known_names(gazetteer: Gazetteer) -> None:
    linked = _linked(
        gazetteer,
        [
            ("Long Island Sound", "LOC"),
            ("Warner Bros.", "ORG"),
            ("Royal Mail", "ORG"),
            ("Meta Programming", "ORG"),
        ],
    )
    assert linked["Long Island Sound"].label == "LOC"
    assert (
        linked["Warner Bros."].label
        == linked["Royal Mail"].label
        == linked["Meta Programming"].label
        == "ORG"
    )
