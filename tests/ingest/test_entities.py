import pytest

from ingest.entities import MAX_NER_CHARS, EntityRecognizer, cap_text, map_french_label, title_case_datelines
from ingest.entity_merge import merge_mentions


@pytest.fixture(scope="session")
def recognizer() -> EntityRecognizer:
    return EntityRecognizer()


def test_models_run_ner_only(recognizer: EntityRecognizer) -> None:
    assert recognizer.model("en").pipe_names == ["ner"]
    assert recognizer.model("fr").pipe_names == ["ner"]


def test_english_surname_merges_into_full_name_as_person(recognizer: EntityRecognizer) -> None:
    text = (
        "German Chancellor Angela Merkel met French President Emmanuel Macron in Berlin on Tuesday. "
        "Merkel said the talks went well. Merkel's government will present a plan next month."
    )
    [result] = recognizer.recognise_batch([text], ["en"])
    entities = {e.text: e for e in merge_mentions(result.mentions)}
    assert entities["Angela Merkel"].label == "PERSON"
    assert entities["Angela Merkel"].mentions == 3
    assert "Merkel" in entities["Angela Merkel"].forms
    assert not any(name.endswith("'s") for name in entities)
    assert "Tuesday" in (result.date_spans or ())


def test_french_labels_are_mapped_to_ontonotes(recognizer: EntityRecognizer) -> None:
    text = "Emmanuel Macron a reçu Angela Merkel à Paris, au siège de l'Organisation des Nations unies."
    [result] = recognizer.recognise_batch([text], ["fr"])
    labels = {m.text: m.label for m in result.mentions}
    assert labels["Emmanuel Macron"] == "PERSON"
    assert labels["Paris"] == "GPE"
    assert result.date_spans is None  # the French model has no DATE: dates.py scans the text
    assert set(labels.values()) <= {"PERSON", "ORG", "GPE", "LOC"}


def test_map_french_label() -> None:
    assert map_french_label("PER", "Jean Dupont") == "PERSON"
    assert map_french_label("LOC", "Lyon") == "GPE"
    assert map_french_label("LOC", "mer du Nord") == "LOC"
    assert map_french_label("MISC", "Coupe du monde") is None


def test_languages_without_model_get_no_entities(recognizer: EntityRecognizer) -> None:
    [de, none] = recognizer.recognise_batch(["Angela Merkel sprach in Berlin.", "x"], ["de", None])
    assert de.mentions == () and de.date_spans is None
    assert none.mentions == ()


def test_batch_keeps_input_order_across_languages(recognizer: EntityRecognizer) -> None:
    texts = [
        "Paris est belle.",
        "Joe Biden spoke in Ohio.",
        "Berlin ist schön.",
        "Jacques Chirac est né à Paris.",
    ]
    results = recognizer.recognise_batch(texts, ["fr", "en", "de", "fr"])
    assert [m.text for m in results[1].mentions] == ["Joe Biden", "Ohio"]
    assert "Jacques Chirac" in [m.text for m in results[3].mentions]


def test_cap_text_cuts_long_texts_on_whitespace() -> None:
    text = "word " * (MAX_NER_CHARS // 4)
    capped = cap_text(text)
    assert len(capped) <= MAX_NER_CHARS
    assert capped.endswith("word")
    assert cap_text("short") == "short"


def test_all_capital_datelines_are_title_cased_for_ner() -> None:
    assert title_case_datelines("LA CROSSE, Wis. (AP) — After") == "La Crosse, Wis. (AP) — After"
    assert title_case_datelines("Intro.\nKATHMANDU, April 25 (Reuters) - Nepal") == (
        "Intro.\nKathmandu, April 25 (Reuters) - Nepal"
    )
    assert title_case_datelines("US officials said") == "US officials said"
    assert title_case_datelines("FBI, CIA and NSA") == "FBI, CIA and NSA"


def test_mentions_carry_the_word_before_them(recognizer: EntityRecognizer) -> None:
    [result] = recognizer.recognise_batch(["Prices rose in Boston on Monday, officials said."], ["en"])
    boston = next(m for m in result.mentions if m.text == "Boston")
    assert boston.before == "in"


def test_after_a_comma_the_word_before_it_is_the_cue(recognizer: EntityRecognizer) -> None:
    text = "The farmer's sister, Margaret Holloway, said he left home on Monday."
    [result] = recognizer.recognise_batch([text], ["en"])
    holloway = next(m for m in result.mentions if "Holloway" in m.text)
    assert holloway.before == "sister,"
