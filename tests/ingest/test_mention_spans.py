"""Mention spans cut at a place the model took into an institution's name (real gazetteer, no model)."""

from __future__ import annotations

import pytest

from ingest.entity_merge import Mention
from ingest.gazetteer import Gazetteer, get_gazetteer
from ingest.mention_spans import drop_common_words, normalise_spans


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return get_gazetteer()


def _spans(gazetteer: Gazetteer, *mentions: tuple[str, str]) -> list[tuple[str, str]]:
    return [
        (m.text, m.label) for m in normalise_spans(gazetteer, [Mention(t, label) for t, label in mentions])
    ]


def test_a_place_possessive_is_split_into_the_place_and_the_name(gazetteer: Gazetteer) -> None:
    assert _spans(gazetteer, ("Washington’s Supreme Court", "ORG"), ("Ukraine's Air Force", "ORG")) == [
        ("Washington", "GPE"),
        ("Supreme Court", "ORG"),
        ("Ukraine", "GPE"),
        ("Air Force", "ORG"),
    ]


def test_a_country_government_is_the_country(gazetteer: Gazetteer) -> None:
    assert _spans(gazetteer, ("the UK Government", "ORG"), ("US administration", "ORG")) == [
        ("UK", "GPE"),
        ("US", "GPE"),
    ]


def test_names_whose_first_part_is_no_place_are_kept_whole(gazetteer: Gazetteer) -> None:
    kept = [("King’s Speech", "EVENT"), ("Scottish Government", "ORG"), ("McDonald's Corp", "ORG")]
    assert _spans(gazetteer, *kept) == kept


def test_a_mention_followed_by_organisation_heads_becomes_the_organisation(gazetteer: Gazetteer) -> None:
    mentions = [
        Mention("Miami-Dade", "GPE", "the", "Police Department"),
        Mention("Labour", "NORP", "", "Party said"),
        Mention("Ohio", "GPE", "in", "police said"),
    ]
    assert [(m.text, m.label) for m in normalise_spans(gazetteer, mentions)] == [
        ("Miami-Dade Police Department", "ORG"),
        ("Labour Party", "ORG"),
        ("Ohio", "GPE"),
    ]


def test_a_place_written_right_before_an_organisation_is_joined_to_it(gazetteer: Gazetteer) -> None:
    mentions = [
        Mention("U.S.", "GPE", "’s", "District Court on"),
        Mention("District Court", "ORG", "U.S.", "on Wednesday"),
        Mention("U.S.", "GPE", "the", ", the"),
        Mention("Senate", "ORG", "the", "voted"),
    ]
    assert [(m.text, m.label) for m in normalise_spans(gazetteer, mentions)] == [
        ("U.S. District Court", "ORG"),
        ("U.S.", "GPE"),
        ("Senate", "ORG"),
    ]


def test_a_place_run_into_a_nationality_or_group_is_split_from_it(gazetteer: Gazetteer) -> None:
    assert _spans(gazetteer, ("Oregon Native American", "NORP"), ("Toronto Italian", "NORP")) == [
        ("Oregon", "GPE"),
        ("Native American", "NORP"),
        ("Toronto", "GPE"),
        ("Italian", "NORP"),
    ]
    # a nationality or group of its own stays whole
    assert _spans(gazetteer, ("South African", "NORP"), ("African American", "NORP")) == [
        ("South African", "NORP"),
        ("African American", "NORP"),
    ]


def test_a_full_name_joined_by_and_to_a_person_is_a_person(gazetteer: Gazetteer) -> None:
    mentions = [
        Mention("Kofi Mensah-Bonsu", "ORG", "from", "and Lena"),
        Mention("Lena Virtanen", "PERSON", "and", "."),
        Mention("Anna Berg", "PERSON", "with", "and Tower"),
        Mention("Tower Bridge Police", "ORG", "and", "."),
        Mention("Jon Berg", "PERSON", "with", "and New"),
        Mention("New York", "GPE", "and", "."),
    ]
    labels = [m.label for m in normalise_spans(gazetteer, mentions)]
    assert labels[0] == "PERSON"
    # an organisation head or a gazetteer place keeps its label
    assert labels[3] == "ORG" and labels[5] == "GPE"


def test_a_one_word_place_the_text_also_writes_in_lower_case_is_a_common_word(gazetteer: Gazetteer) -> None:
    text = "Semences. Les semences de blé ont gelé à Lyon. Nice a voté, et c'est nice."
    mentions = [Mention("Semences", "GPE"), Mention("Lyon", "GPE"), Mention("Nice", "GPE")]
    kept = [m.text for m in drop_common_words(gazetteer, mentions, text)]
    assert kept == ["Lyon", "Nice"]  # a gazetteer place stays even if also a word


def test_a_full_name_owning_a_name_is_split_from_it(gazetteer: Gazetteer) -> None:
    assert _spans(gazetteer, ("Marta Ivanova’s Riverside Gallery", "ORG")) == [
        ("Marta Ivanova", "PERSON"),
        ("Riverside Gallery", "ORG"),
    ]
    # a saint's or a place's name owning an institution is its name
    assert _spans(gazetteer, ("St Mary's Hospital", "ORG")) == [("St Mary's Hospital", "ORG")]


def test_no_person_owner_with_a_place_or_a_known_company_in_it(gazetteer: Gazetteer) -> None:
    assert _spans(gazetteer, ("Texas Women's Health Program", "ORG")) == [
        ("Texas Women's Health Program", "ORG")
    ]
    coordinated = [
        Mention("South Pembrokeshire", "GPE", "for", "and Stephen"),
        Mention("Stephen Crabb", "PERSON"),
    ]
    assert [m.label for m in normalise_spans(gazetteer, coordinated)] == ["GPE", "PERSON"]
