from datetime import datetime

import pytest

from ingest.enrich import Enricher, EnrichInput, word_count
from ingest.entity_registry import EntityRegistry
from ingest.fingerprint import content_hash, simhash


@pytest.fixture(scope="session")
def enricher() -> Enricher:
    return Enricher(registry=EntityRegistry(None))


def test_enrich_batch_fills_every_field_in_input_order(enricher: Enricher) -> None:
    english = (
        "Angela Merkel met Emmanuel Macron in Berlin on Tuesday. Merkel said the European Union "
        "would act. Her party agreed last September."
    )
    german = "Die Kanzlerin sprach am 13. März 2024 in Berlin über die Lage der Nation und die Zukunft."
    docs = [
        EnrichInput(english, datetime(2024, 3, 13, 9, 30)),
        EnrichInput(german, None),
        EnrichInput("Bonjour", None, language_hint="fr-FR"),
    ]
    en, de, fr = enricher.enrich_batch(docs)

    assert en.language == "en"
    assert ("Angela Merkel", "PERSON") in [(e.text, e.label) for e in en.entities]
    assert [(d.text, d.value) for d in en.dates] == [("Tuesday", "2024-03-12"), ("last September", "2023-09")]
    assert en.word_count == word_count(english) == 21
    assert en.content_hash == content_hash(english)
    assert en.simhash == simhash(english)

    assert de.language == "de"
    assert [(e.text, e.kind, e.country) for e in de.entities] == [
        ("Berlin", "city", "DE")
    ]  # no model: gazetteer
    assert [d.value for d in de.dates] == ["2024-03-13"]

    assert fr.language == "fr"
    assert fr.entities == [] and fr.dates == []


def test_empty_batch(enricher: Enricher) -> None:
    assert enricher.enrich_batch([]) == []
