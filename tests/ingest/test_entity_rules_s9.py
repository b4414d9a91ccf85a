"""Session-9 entity rules, each pinned by a small text of its own (pure: real gazetteer, no model)."""

from __future__ import annotations

import pytest

from ingest.entity_linking import link_entities
from ingest.entity_merge import Mention, clean_mention, merge_mentions
from ingest.gazetteer import Gazetteer, get_gazetteer
from ingest.mention_spans import normalise_spans
from ingest.place_matcher import match_places


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return get_gazetteer()


def _linked(gazetteer: Gazetteer, mentions: list[tuple[str, str]]) -> dict:
    entities = merge_mentions(Mention(text, label) for text, label in mentions)
    return {e.text: e for e in link_entities(gazetteer, entities, None)}


def test_alternate_demonyms_are_nationalities_of_their_country(gazetteer: Gazetteer) -> None:
    linked = _linked(
        gazetteer, [("Nepali", "GPE"), ("Saudis", "ORG"), ("Kazakh", "GPE"), ("Swedes", "PERSON")]
    )
    assert {name: (e.label, e.country) for name, e in linked.items()} == {
        "Nepali": ("NORP", "NP"),
        "Saudis": ("NORP", "SA"),
        "Kazakh": ("NORP", "KZ"),
        "Swedes": ("NORP", "SE"),
    }
    assert linked["Nepali"].id == "norp:nepalese"  # one id per country: its main demonym's


def test_a_country_name_is_never_a_demonym(gazetteer: Gazetteer) -> None:
    """countryinfo gives "Djibouti" and "Gibraltar" as demonyms; "Lao" + "s" is Laos."""
    assert [gazetteer.demonym_country(name) for name in ("Djibouti", "Gibraltar", "Laos")] == [None] * 3
    linked = _linked(gazetteer, [("Laos", "GPE"), ("Djibouti", "GPE")])
    assert {name: e.label for name, e in linked.items()} == {"Laos": "GPE", "Djibouti": "GPE"}


def test_a_first_name_tagged_as_an_unknown_place_joins_its_person(gazetteer: Gazetteer) -> None:
    mentions = [Mention("Rebecca Cooke", "PERSON"), Mention("Rebecca", "GPE"), Mention("Rebecca", "GPE")]
    entities = merge_mentions(mentions, lambda name: bool(gazetteer.lookup(name)))
    assert [(e.text, e.label, e.mentions) for e in entities] == [("Rebecca Cooke", "PERSON", 3)]
    # a first name that is a gazetteer place stays apart ("Paris" beside "Paris Hilton")
    mentions = [Mention("Paris Hilton", "PERSON"), Mention("Paris", "GPE")]
    entities = merge_mentions(mentions, lambda name: bool(gazetteer.lookup(name)))
    assert sorted((e.text, e.label) for e in entities) == [("Paris", "GPE"), ("Paris Hilton", "PERSON")]


def test_a_kind_of_inhabited_place_before_a_name_votes_place() -> None:
    """ "the party town Van Vieng": the model read PERSON; the lower-case kind outvotes it."""
    mentions = [
        Mention("Van Vieng", "PERSON", before="town"),
        Mention("Bianca Jones", "PERSON", before="friend"),
    ]
    assert {e.text: e.label for e in merge_mentions(mentions)} == {
        "Van Vieng": "GPE",
        "Bianca Jones": "PERSON",
    }
    # capitalised, the word is part of a name or a title, no cue
    assert merge_mentions([Mention("Ana Ruiz", "PERSON", before="Town")])[0].label == "PERSON"


def test_natural_regions_across_countries_or_states_are_loc(gazetteer: Gazetteer) -> None:
    linked = _linked(gazetteer, [("Great Lakes", "FAC"), ("Alps", "GPE"), ("Corn Belt", "ORG")])
    assert {name: (e.label, e.geonames_id) for name, e in linked.items()} == {
        "Great Lakes": ("LOC", None),
        "Alps": ("LOC", None),
        "Corn Belt": ("LOC", None),
    }


def test_text_without_a_model_brands_and_person_names_are_no_places(gazetteer: Gazetteer) -> None:
    """ "Metro" (a newspaper and a retailer) is also a city of Indonesia, "Warren" and "Roman" towns of
    the US and Romania, "Julia" an alternate name of Plovdiv; "Jena" is a city and a given name."""
    text = (
        "Der Großhändler Metro meldet höhere Umsätze in Düsseldorf. Promoter Frank Warren sprach mit "
        "Ann Kiessling. Julia fuhr mit Roman nach Jena."
    )
    assert [m.text for m in match_places(gazetteer, text)] == ["Düsseldorf", "Jena"]


def test_ruvuma_and_sint_eustatius_are_regions_with_geonames_ids(gazetteer: Gazetteer) -> None:
    """GeoNames admin1 TZ.14 and BQ.SE; Sint Eustatius has no city of >= 15,000: its capital's point."""
    linked = _linked(gazetteer, [("Ruvuma", "PERSON"), ("St Eustatius", "ORG")])
    assert {name: (e.label, e.kind, e.geonames_id, e.country) for name, e in linked.items()} == {
        "Ruvuma": ("GPE", "region", 877416, "TZ"),
        "Sint Eustatius": ("GPE", "region", 7610359, "BQ"),
    }
    assert linked["Sint Eustatius"].lat == pytest.approx(17.48, abs=0.01)


def test_hostels_motels_and_statehouses_are_facilities(gazetteer: Gazetteer) -> None:
    linked = _linked(
        gazetteer, [("Sunrise Backpacker Hostel", "PERSON"), ("Statehouse", "ORG"), ("Blue Motel", "ORG")]
    )
    assert {name: e.label for name, e in linked.items()} == {
        "Sunrise Backpacker Hostel": "FAC",
        "Statehouse": "FAC",
        "Blue Motel": "FAC",
    }


def test_a_country_tagged_org_right_before_an_organisation_is_joined_to_it(gazetteer: Gazetteer) -> None:
    mentions = [
        Mention("the United States", "ORG", "and", "Marine Corps eagle"),
        Mention("Marine Corps", "ORG", "States", "eagle globe"),
    ]
    joined = normalise_spans(gazetteer, mentions)
    assert [(m.text, m.label) for m in joined] == [("the United States Marine Corps", "ORG")]
    # not adjacent (a word between): both stay
    apart = [Mention("Acme", "ORG", "at", "and Marine"), Mention("Marine Corps", "ORG", "and", "eagle globe")]
    assert len(normalise_spans(gazetteer, apart)) == 2


def test_a_town_and_a_club_word_is_a_club_but_a_gazetteer_city_stays(gazetteer: Gazetteer) -> None:
    linked = _linked(gazetteer, [("Leeds United", "GPE"), ("Norwich City", "GPE"), ("Kansas City", "GPE")])
    assert {name: e.label for name, e in linked.items()} == {
        "Leeds United": "ORG",
        "Norwich City": "ORG",
        "Kansas City": "GPE",
    }


def test_a_place_cut_before_its_french_particle_word_is_made_whole(gazetteer: Gazetteer) -> None:
    mentions = [
        Mention("Coeur", "ORG", "of", "d’Alene, Idaho;"),
        Mention("Jean", "PERSON", "said", "d’Arc told"),
    ]
    assert [(m.text, m.label) for m in normalise_spans(gazetteer, mentions)] == [
        ("Coeur d’Alene", "GPE"),
        ("Jean", "PERSON"),  # "Jean d’Arc" is no gazetteer place: left as the model cut it
    ]


def test_a_list_of_names_read_as_one_mention_is_dropped() -> None:
    assert clean_mention("Smith, Jones, Brown, Evans", "ORG") == ""
    assert clean_mention("Washington, D.C.", "GPE") == "Washington, D.C."


def test_two_spellings_of_one_full_name_are_one_person(gazetteer: Gazetteer) -> None:
    mentions = [
        Mention("Brian Kohler’s", "PERSON", "killer"),
        Mention("Bryan Kohler", "PERSON", "\n\n"),
        Mention("Bryan Kohler", "PERSON", "from"),
        Mention("Mary Kohler", "PERSON", "sister"),  # another first name: another person
    ]
    spans = normalise_spans(gazetteer, mentions)
    entities = merge_mentions(spans, lambda name: bool(gazetteer.lookup(name)))
    assert sorted((e.text, e.mentions) for e in entities) == [("Bryan Kohler", 3), ("Mary Kohler", 1)]


def test_a_nationality_right_before_a_natural_place_is_part_of_its_name(gazetteer: Gazetteer) -> None:
    mentions = [
        Mention("Canadian", "NORP", "", "Rockies resort"),
        Mention("Rockies", "LOC", "Canadian", "resort"),
    ]
    assert [(m.text, m.label) for m in normalise_spans(gazetteer, mentions)] == [("Canadian Rockies", "LOC")]


def test_a_provincial_minister_title_is_dropped_and_cues_a_person() -> None:
    mentions = [
        Mention("Jacob Mamabolo", "PERSON", "Affairs,"),
        Mention("MEC Mamabolo", "ORG", "\\n\\n"),
        Mention("Mamabolo", "PERSON", "Additionally,"),
    ]
    assert [(e.text, e.label, e.mentions) for e in merge_mentions(mentions)] == [
        ("Jacob Mamabolo", "PERSON", 3)
    ]


def test_a_place_kind_before_an_organisation_is_no_place_cue() -> None:
    """ "the Trump-district House" is Congress: one GPE vote would turn the ORG into a GPE."""
    mentions = [
        Mention("House", "ORG", "district"),
        Mention("House", "ORG", "the"),
        Mention("House", "ORG", "city"),
    ]
    assert [(e.text, e.label) for e in merge_mentions(mentions)] == [("House", "ORG")]


def test_a_surname_tagged_as_a_foreign_town_joins_its_person(gazetteer: Gazetteer) -> None:
    """ "Miyazaki" (a Japanese city) beside "Lily Miyazaki" in an article naming no Japanese place."""
    linked = _linked(
        gazetteer,
        [("Lily Miyazaki", "PERSON"), ("New York", "GPE"), ("Miyazaki", "GPE"), ("Miyazaki", "GPE")],
    )
    assert {name: (e.label, e.mentions) for name, e in linked.items()} == {
        "Lily Miyazaki": ("PERSON", 3),
        "New York": ("GPE", 1),
    }
    # beside a place of that country, the town stays a place
    linked = _linked(gazetteer, [("Lily Miyazaki", "PERSON"), ("Japan", "GPE"), ("Miyazaki", "GPE")])
    assert linked["Miyazaki"].label == "GPE"
    # a name that is also a region stays a place ("Washington" beside "George Washington")
    linked = _linked(gazetteer, [("George Washington", "PERSON"), ("Washington", "GPE")])
    assert linked["Washington"].label == "GPE"
