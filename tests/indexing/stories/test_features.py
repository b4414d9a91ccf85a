"""The stories stage's record of an article: entity keys are the pipeline's language-independent ids."""

from __future__ import annotations

from indexing.stories.features import entity_keys
from schemas.article import Entity
from tests.indexing.factory import make_event


def test_entities_are_keyed_by_their_id_in_every_language_and_by_name_without_one() -> None:
    german = make_event(
        1,
        entities=[
            Entity(text="Deutschland", label="GPE", mentions=3, id="place:2921044"),
            Entity(text="Kanzleramt", label="FAC", mentions=1),
            Entity(text="Deutsche", label="NORP", mentions=2, id="norp:german"),
        ],
    )
    english = make_event(2, entities=[Entity(text="Germany", label="GPE", mentions=1, id="place:2921044")])
    assert entity_keys(german) == {"place:2921044": "Deutschland", "kanzleramt": "Kanzleramt"}
    assert entity_keys(english).keys() & entity_keys(german).keys() == {"place:2921044"}
