"""Session-13 English entity rules, each pinned by small mentions of its own (real gazetteer, no model)."""

from __future__ import annotations

import pytest

from ingest.entity_linking import link_entities
from ingest.entity_merge import Mention, clean_mention, merge_mentions
from ingest.gazetteer import Gazetteer, get_gazetteer
from ingest.known_names import known_name_mentions
from ingest.mention_spans import normalise_spans


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return get_gazetteer()


def _added(text: str, mentions: list[Mention], gazetteer: Gazetteer | None = None) -> list:
    found = known_name_mentions(text, mentions, None, gazetteer)
    return [(m.text, m.label) for m in found[len(mentions) :]]


def _linked(gazetteer: Gazetteer, mentions: list[Mention]) -> dict:
    entities = merge_mentions(normalise_spans(gazetteer, mentions), lambda n: bool(gazetteer.lookup(n)))
    return {e.text: e.label for e in link_entities(gazetteer, entities, None)}


def test_local_offices_and_ranks_are_titles_on_person_mentions_only() -> None:
    assert clean_mention("Supervisor Dana Korlov", "PERSON") == "Dana Korlov"
    assert clean_mention("Superintendent Ivo Marrent", "PERSON") == "Ivo Marrent"
    assert clean_mention("Councilmember Ada Prell", "PERSON") == "Ada Prell"
    assert clean_mention("Sheriff's Office", "ORG") == "Sheriff's Office"  # part of an organisation's name
    assert clean_mention("Superintendent Ivo Marrent", "ORG") == "Superintendent Ivo Marrent"


def test_a_country_or_region_by_its_own_name_is_gpe_not_loc_or_norp(gazetteer: Gazetteer) -> None:
    linked = _linked(gazetteer, [Mention("Falkland Islands", "LOC"), Mention("Punjab", "NORP")])
    assert linked == {"Falkland Islands": "GPE", "Punjab": "GPE"}
    # a continent and a demonym keep their labels
    linked = _linked(gazetteer, [Mention("Africa", "LOC"), Mention("Ukrainian", "NORP")])
    assert linked == {"Africa": "LOC", "Ukrainian": "NORP"}


def test_a_lower_case_kind_word_after_a_name_is_cut_and_votes_its_kind(gazetteer: Gazetteer) -> None:
    assert clean_mention("Plymouth city", "GPE") == "Plymouth"
    assert clean_mention("Mexico City", "GPE") == "Mexico City"  # capitalised: part of the name
    assert clean_mention("Labour Party", "ORG") == "Labour Party"
    mentions = [Mention("Brennish Unity party", "ORG"), Mention("Brennish Unity", "PERSON")]
    assert _linked(gazetteer, mentions) == {"Brennish Unity": "ORG"}
    mentions = [
        Mention("Brennish Unity", "PERSON", "the", "party leader said"),
        Mention("Brennish Unity", "PERSON"),
    ]
    assert _linked(gazetteer, mentions) == {"Brennish Unity": "ORG"}


def test_a_nationality_before_a_place_kind_gets_no_place_vote() -> None:
    entities = merge_mentions([Mention("Spanish", "NORP", "the", "city of")], lambda n: False)
    assert [(e.text, e.label) for e in entities] == [("Spanish", "NORP")]


def test_a_lake_or_mountain_named_head_first_is_loc_unless_the_gazetteer_knows_it(
    gazetteer: Gazetteer,
) -> None:
    linked = _linked(gazetteer, [Mention("Lake Quillarno", "GPE"), Mention("Mount Tessavel", "PERSON")])
    assert linked == {"Lake Quillarno": "LOC", "Mount Tessavel": "LOC"}
    assert _linked(gazetteer, [Mention("Mount Vernon", "GPE")]) == {"Mount Vernon": "GPE"}  # a town


def test_a_footnote_number_and_a_lower_case_article_are_no_part_of_a_name() -> None:
    assert clean_mention("Boran Shelt.3", "PERSON") == "Boran Shelt"
    assert clean_mention("a Reform Alliance", "ORG") == "Reform Alliance"
    assert clean_mention("A Boating Party", "WORK_OF_ART") == "A Boating Party"  # a title keeps its "A"
    assert clean_mention("Windows 3.1", "PRODUCT") == "Windows 3.1"


def test_groups_uprisings_and_peoples_republics_get_their_labels(gazetteer: Gazetteer) -> None:
    linked = _linked(
        gazetteer,
        [
            Mention("Mennonites", "ORG"),
            Mention("Harbour Square Putsch", "ORG"),
            Mention("Velorian People’s Republic", "ORG"),
        ],
    )
    assert linked == {
        "Mennonites": "NORP",
        "Harbour Square Putsch": "EVENT",
        "Velorian People’s Republic": "GPE",
    }


def test_a_named_week_is_an_event_but_last_week_is_not() -> None:
    text = "Last Week was busy. Organisers said Brenford Design Week opens today."
    assert _added(text, []) == [("Brenford Design Week", "EVENT")]


def test_an_all_capital_place_before_a_colon_is_a_dateline_place(gazetteer: Gazetteer) -> None:
    text = "NAIROBI: The ministry said on Monday.\nWATCH: The video shows the scene."
    assert _added(text, [], gazetteer=gazetteer) == [("NAIROBI", "GPE")]


def test_natives_of_a_known_place_make_it_a_place(gazetteer: Gazetteer) -> None:
    mentions = [
        Mention("Guadalajara", "PERSON", "", "natives José and Ana"),
        Mention("Guadalajara", "PERSON"),
    ]
    assert _linked(gazetteer, mentions) == {"Guadalajara": "GPE"}


def test_a_natural_feature_named_head_first_is_found_and_the_models_cut_yields(gazetteer: Gazetteer) -> None:
    text = "Tankers crossed the Strait of Quarnel and the Gulf of Mexico. Lake Forest residents watched."
    mentions = [Mention("Quarnel", "PERSON"), Mention("Mexico", "GPE"), Mention("Lake Forest", "GPE")]
    found = known_name_mentions(text, mentions, None, gazetteer)
    assert [(m.text, m.label) for m in found] == [
        ("Lake Forest", "GPE"),  # a town the gazetteer knows: the model's reading stays
        ("Strait of Quarnel", "LOC"),
        ("Gulf of Mexico", "LOC"),
    ]


def test_numbered_amendments_are_law_and_heading_words_no_names() -> None:
    text = "Under the 14th Amendment and the First Amendment, nothing changed."
    assert _added(text, []) == [("14th Amendment", "LAW"), ("First Amendment", "LAW")]
    assert clean_mention("Background", "PERSON") == ""


def test_an_acronym_owner_splits_off_its_unit_and_a_group_owner_does_not(gazetteer: Gazetteer) -> None:
    spans = normalise_spans(
        gazetteer, [Mention("QRSA’s Flight Dynamics Lab", "ORG"), Mention("A’s Team", "ORG")]
    )
    assert [(m.text, m.label) for m in spans] == [
        ("QRSA", "ORG"),
        ("Flight Dynamics Lab", "ORG"),
        ("A’s Team", "ORG"),  # one letter: no acronym
    ]
    spans = normalise_spans(gazetteer, [Mention("Velorian People’s Republic", "ORG")])
    assert [(m.text, m.label) for m in spans] == [("Velorian People’s Republic", "ORG")]
