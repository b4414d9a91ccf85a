from ingest.entity_merge import Mention, clean_mention, merge_mentions


def by_text(mentions: list[Mention]) -> dict[str, tuple[str, int, list[str]]]:
    return {e.text: (e.label, e.mentions, e.forms) for e in merge_mentions(mentions)}


def test_clean_mention_strips_possessives_the_and_titles() -> None:
    assert clean_mention("Merkel's") == "Merkel"
    assert clean_mention("Merkel’s") == "Merkel"
    assert clean_mention("Reuters'") == "Reuters"
    assert clean_mention("the  European\nUnion") == "European Union"
    assert clean_mention("The Louvre") == "Louvre"
    assert clean_mention("Mr. Marcus") == "Marcus"
    assert clean_mention("Governor Jay Inslee", "PERSON") == "Jay Inslee"
    assert clean_mention("Governor’s Office", "ORG") == "Governor’s Office"


def test_clean_mention_drops_noise() -> None:
    assert clean_mention("n’t") == ""
    assert clean_mention("capitol") == ""
    assert clean_mention("12") == ""


def test_surname_joins_full_name_and_takes_its_label() -> None:
    entities = by_text(
        [Mention("Angela Merkel", "PERSON"), Mention("Merkel", "ORG"), Mention("Merkel's", "ORG"),
         Mention("Merkel", "ORG")]
    )  # fmt: skip
    assert entities == {"Angela Merkel": ("PERSON", 4, ["Angela Merkel", "Merkel"])}


def test_a_surname_of_several_people_joins_none_and_is_no_entity_of_its_own() -> None:
    entities = by_text(
        [Mention("James Lee", "PERSON"), Mention("Han Lee", "PERSON"), Mention("Lee", "PERSON")]
    )
    assert set(entities) == {"James Lee", "Han Lee"}


def test_a_family_named_by_the_plural_surname_joins_the_person() -> None:
    entities = by_text([Mention("Kamala Harris", "PERSON"), Mention("Harrises", "ORG")])
    assert entities == {"Kamala Harris": ("PERSON", 2, ["Kamala Harris", "Harrises"])}


def test_place_named_after_a_person_is_not_merged() -> None:
    entities = by_text([Mention("George Washington", "PERSON"), Mention("Washington", "GPE")])
    assert entities["Washington"][0] == "GPE"


def test_first_name_and_hyphenated_name_join_the_person() -> None:
    pete = [Mention("Pete Buttigieg", "PERSON"), Mention("Pete", "PERSON")]
    delevoye = [Mention("Jean-Paul Delevoye", "PERSON"), Mention("Paul Delevoye", "PERSON")]
    entities = by_text(pete + delevoye)
    assert entities["Pete Buttigieg"][1] == 2
    assert entities["Jean-Paul Delevoye"][1] == 2


def test_acronym_joins_its_long_form() -> None:
    entities = by_text(
        [Mention("the Drug Enforcement Agency", "ORG"), Mention("DEA", "ORG"), Mention("DEA", "ORG")]
    )
    assert entities == {"Drug Enforcement Agency": ("ORG", 3, ["Drug Enforcement Agency", "DEA"])}


def test_region_labelled_org_becomes_gpe_when_also_labelled_gpe() -> None:
    entities = by_text(
        [Mention("Catalonia", "ORG"), Mention("Catalonia", "GPE"), Mention("Catalonia", "ORG")]
    )
    assert entities["Catalonia"][0] == "GPE"
    entities = by_text(
        [Mention("Washington Superior Court", "ORG"), Mention("Washington Superior Court", "GPE")]
    )
    assert entities["Washington Superior Court"][0] == "ORG"


def test_majority_label_and_dotted_forms() -> None:
    entities = by_text([Mention("U.S.", "GPE"), Mention("US", "GPE"), Mention("US", "ORG")])
    assert entities == {"US": ("GPE", 3, ["U.S.", "US"])}


def test_the_x_is_never_a_person() -> None:
    assert by_text([Mention("the Louvre", "PERSON"), Mention("Louvre", "ORG")])["Louvre"][0] == "ORG"


def test_most_mentioned_first() -> None:
    entities = merge_mentions([Mention("Berlin", "GPE"), Mention("Paris", "GPE"), Mention("Paris", "GPE")])
    assert [e.text for e in entities] == ["Paris", "Berlin"]


def test_clean_mention_drops_furniture_generic_nouns_and_single_letters() -> None:
    assert clean_mention("Independent Premium Comments") == ""
    assert clean_mention("Community Guidelines") == ""
    assert clean_mention("the Government") == ""
    assert clean_mention("Transport") == ""
    assert clean_mention("D.") == ""
    assert clean_mention("A350") == "A350"
    assert clean_mention("Transport for London") == "Transport for London"


def test_clean_mention_cuts_an_unclosed_parenthesis() -> None:
    assert clean_mention("National University of Lesotho (NUL") == "National University of Lesotho"
    assert clean_mention("Alternative für Deutschland (AfD)") == "Alternative für Deutschland"


def test_a_title_before_a_name_makes_it_a_person() -> None:
    cued = [Mention("Bowen", "ORG", before="Mr"), Mention("Bowen", "ORG", before="said")]
    assert by_text(cued)["Bowen"][0] == "PERSON"
    assert by_text([Mention("Sen. Tester", "ORG")])["Tester"][0] == "PERSON"
    assert by_text([Mention("Chalobah", "ORG", before="defender")])["Chalobah"][0] == "PERSON"
    assert by_text([Mention("Bowen", "ORG", before="at")])["Bowen"][0] == "ORG"


def test_a_title_does_not_make_an_organisation_a_person() -> None:
    entities = by_text([Mention("Bank of England", "ORG", before="President")])
    assert entities["Bank of England"][0] == "ORG"


def test_surname_tagged_as_a_place_joins_its_person_unless_it_is_a_place() -> None:
    mentions = [Mention("Jon Tester", "PERSON"), Mention("Tester", "GPE"), Mention("Tester", "GPE")]
    places = {"washington"}
    joined = {e.text: e for e in merge_mentions(mentions, lambda name: name in places)}
    assert list(joined) == ["Jon Tester"] and joined["Jon Tester"].mentions == 3
    washington = [Mention("George Washington", "PERSON"), Mention("Washington", "GPE")]
    apart = {e.text: e.label for e in merge_mentions(washington, lambda name: name in places)}
    assert apart == {"George Washington": "PERSON", "Washington": "GPE"}


def test_heading_words_are_cut_from_the_end_of_person_names() -> None:
    assert clean_mention("John Rankin Release", "PERSON") == "John Rankin"
    assert clean_mention("Drudge Report", "ORG") == "Drudge Report"
    assert clean_mention("Daily Edition") == ""


def test_an_organisation_or_facility_named_by_its_tail_is_one_entity() -> None:
    entities = merge_mentions(
        [
            Mention("the Chinese Communist Party", "ORG"),
            Mention("the Communist Party", "ORG"),
            Mention("Los Angeles Coliseum", "FAC"),
            Mention("Coliseum", "LOC"),
            Mention("White House", "ORG"),
            Mention("House", "ORG"),
        ]
    )
    assert sorted((e.text, sorted(e.forms)) for e in entities) == [
        ("Chinese Communist Party", ["Chinese Communist Party", "Communist Party"]),
        ("House", ["House"]),
        ("Los Angeles Coliseum", ["Coliseum", "Los Angeles Coliseum"]),
        ("White House", ["White House"]),
    ]


def test_acronym_with_a_capitalised_word_or_after_a_country_joins_its_long_form() -> None:
    mentions = [
        Mention("UN Relief and Works Agency", "ORG"),
        Mention("UNRWA", "ORG"),
        Mention("United States Drug Enforcement Agency", "ORG"),
        Mention("DEA", "ORG"),
    ]
    entities = {
        e.text: sorted(e.forms) for e in merge_mentions(mentions, lambda name: name == "United States")
    }
    assert entities == {
        "UN Relief and Works Agency": ["UN Relief and Works Agency", "UNRWA"],
        "United States Drug Enforcement Agency": ["DEA", "United States Drug Enforcement Agency"],
    }


def test_clean_mention_drops_abbreviations_of_common_nouns_but_not_acronym_names() -> None:
    assert [clean_mention(t, "ORG") for t in ("VAT", "the CEO", "AI", "NATO", "UNRWA")] == [
        "",
        "",
        "",
        "NATO",
        "UNRWA",
    ]


def test_a_one_word_person_mention_after_the_votes_org() -> None:
    entities = by_text([Mention("Louvre", "PERSON", "the"), Mention("Louvre", "PERSON", "the")])
    assert entities == {"Louvre": ("ORG", 2, ["Louvre"])}


def test_a_lower_case_organisation_kind_before_a_name_votes_org() -> None:
    entities = by_text(
        [Mention("Nordbladet", "PERSON", "newspaper"), Mention("Nordbladet", "PERSON", "."),
         Mention("Hallberg", "PERSON", "house"), Mention("Kessler", "PERSON", "Bank")]
    )  # fmt: skip
    assert entities["Nordbladet"][0] == "ORG"  # the cue outvotes one PERSON reading
    assert entities["Hallberg"][0] == "ORG"  # "auction house Hallberg"
    assert entities["Kessler"][0] == "PERSON"  # a capitalised word may be part of a name: no cue


def test_titles_without_their_person_are_no_name() -> None:
    assert clean_mention("Datuk Seri", "PERSON") == ""
    assert clean_mention("Deputy Minister", "PERSON") == ""
    assert clean_mention("Datuk Seri Hamzah Rahman", "PERSON") == "Seri Hamzah Rahman"
    assert clean_mention("Sri Lanka", "GPE") == "Sri Lanka"


def test_a_lower_case_administrative_kind_before_a_place_is_cut() -> None:
    assert clean_mention("canton de Vaud", "GPE") == "Vaud"
    assert clean_mention("département d'Ille-et-Vilaine", "GPE") == "Ille-et-Vilaine"
    assert clean_mention("Province de Namur", "GPE") == "Province de Namur"  # its own name, capitalised
    entities = by_text([Mention("canton de Vaud", "GPE"), Mention("Vaud", "GPE")])
    assert entities == {"Vaud": ("GPE", 2, ["Vaud"])}


def test_kin_before_a_name_or_before_its_comma_votes_person() -> None:
    entities = by_text(
        [Mention("Inara Dessai", "ORG", "sister,"), Mention("Tomas Brel", "ORG", "husband"),
         Mention("Kessler Group", "ORG", "firm,")]
    )  # fmt: skip
    assert entities["Inara Dessai"][0] == entities["Tomas Brel"][0] == "PERSON"
    assert entities["Kessler Group"][0] == "ORG"


def test_an_institution_adjective_alone_is_no_name() -> None:
    assert clean_mention("Parliamentary", "NORP") == ""
    assert clean_mention("Congressional Black Caucus", "ORG") == "Congressional Black Caucus"


def test_a_role_word_before_a_comma_is_no_cue() -> None:
    # "... replaced by a coach, Transport for Wales will ...": the clause ends at the comma
    entities = by_text(
        [Mention("Transport for Wales", "ORG", "coach,"), Mention("Hallberg", "PERSON", "house,")]
    )
    assert entities["Transport for Wales"][0] == "ORG" and entities["Hallberg"][0] == "PERSON"
