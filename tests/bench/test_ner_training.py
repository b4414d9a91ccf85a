from collections import Counter

import pytest
import spacy

from bench.ner_training import LabelledText, gold_spans, load_labelled, train, training_spans
from ingest.entities import EntityRecognizer


def _spans(text: str, entities: list[dict]) -> list[tuple[str, str]]:
    doc = spacy.blank("en")(text)
    return [(doc[start:end].text, label) for start, end, label in gold_spans(doc, entities)]


def test_every_occurrence_of_a_name_or_alias_is_a_span_longest_first():
    entities = [{"text": "Joe Biden", "label": "PERSON", "aliases": ["Biden"]}]
    text = "Joe Biden spoke. Later Biden left."
    assert _spans(text, entities) == [("Joe Biden", "PERSON"), ("Biden", "PERSON")]


def test_a_possessive_leaves_the_name_at_its_token_boundary():
    entities = [{"text": "Biden", "label": "PERSON"}, {"text": "White House", "label": "ORG"}]
    assert _spans("Biden's plan and the White House’s reply", entities) == [
        ("Biden", "PERSON"),
        ("White House", "ORG"),
    ]


def test_names_inside_longer_words_or_in_other_case_are_not_spans():
    entities = [{"text": "Apple", "label": "ORG"}, {"text": "Rome", "label": "GPE"}]
    assert _spans("An apple a day in Romeo's garden; Apple shares.", entities) == [("Apple", "ORG")]


def test_a_shorter_entity_never_overlaps_a_longer_one():
    entities = [
        {"text": "Jasper", "label": "GPE"},
        {"text": "Jasper National Park", "label": "LOC", "aliases": ["Jasper Park"]},
    ]
    text = "Jasper National Park lies near Jasper."
    assert _spans(text, entities) == [("Jasper National Park", "LOC"), ("Jasper", "GPE")]


def test_either_apostrophe_matches():
    entities = [{"text": "Macy's", "label": "ORG"}]
    assert _spans("We went to Macy’s.", entities) == [("Macy’s", "ORG")]


def test_the_base_models_numeric_spans_are_kept_where_no_gold_name_lies():
    gold = [(0, 2, "PERSON")]
    base = [(0, 1, "ORG"), (1, 3, "DATE"), (5, 6, "CARDINAL"), (7, 8, "GPE")]
    assert training_spans(gold, base) == [(0, 2, "PERSON"), (5, 6, "CARDINAL")]


def test_a_persons_surname_alone_is_the_person():
    entities = [{"text": "Enoch Godongwana", "label": "PERSON"}]
    text = "Enoch Godongwana said so. Godongwana added more."
    assert _spans(text, entities) == [("Enoch Godongwana", "PERSON"), ("Godongwana", "PERSON")]


def test_the_blind_split_is_never_read_for_training(tmp_path):
    blind = tmp_path / "entities_heldout4.json"
    blind.write_text('{"articles": []}', encoding="utf-8")
    marked = tmp_path / "other.json"
    marked.write_text('{"articles": [{"split": "held-out-4", "language": "en"}]}', encoding="utf-8")
    for path in (blind, marked):
        with pytest.raises(ValueError, match="blind"):
            load_labelled((path,))


def test_only_english_articles_with_their_text_are_training_data():
    articles = load_labelled()
    assert {a.split for a in articles} == {"tuned", "held-out", "held-out-2"}
    assert all(a.text for a in articles)
    # 27 of the 40 tuned English articles store their text (13 are read from the corpus by the bench)
    assert Counter(a.split for a in articles) == {"tuned": 27, "held-out": 25, "held-out-2": 30}


def test_a_trained_model_loads_in_the_recogniser_and_finds_names(tmp_path):
    text = "Angela Merkel met Emmanuel Macron in Berlin on Monday. Merkel said the talks went well."
    entities = (
        {"text": "Angela Merkel", "label": "PERSON", "aliases": ["Merkel"]},
        {"text": "Emmanuel Macron", "label": "PERSON"},
        {"text": "Berlin", "label": "GPE"},
    )
    model = train([LabelledText(text, entities, "tuned")], tmp_path / "ner-en", epochs=2)
    [result] = EntityRecognizer({"en": str(model)}).recognise_batch([text], ["en"])
    assert ("Angela Merkel", "PERSON") in {(m.text, m.label) for m in result.mentions}
    assert result.date_spans == ("Monday",)
