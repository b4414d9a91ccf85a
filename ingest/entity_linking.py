"""Entities of one document -> corrected labels, places with GeoNames data, NORP countries, ids (pure).

The order matters: labels first (a "Crimea" tagged ORG must be a place before places are resolved), then
places (all of the document's place names together, as they are each other's context), then ids. People
and organisations get their ids from the registry afterwards (``entity_registry``), as that needs I/O.
"""

from __future__ import annotations

import re

from ingest.entity_registry import ID_PREFIXES, REGISTERED_LABELS, entity_id
from ingest.gazetteer import Gazetteer, Place
from ingest.label_rules import (
    correct_labels,
    correct_labels_in_context,
    surnames_not_places,
    teams_in_sports_news,
)
from ingest.place_matcher import declined_base
from ingest.place_resolution import resolve_places
from schemas.article import Entity

PLACE_LABELS = frozenset({"GPE", "LOC"})

LEADING_ARTICLES = re.compile(
    r"^(?:the|la|le|les|l['’]|el|los|las|il|lo|der|die|das|den|het|de)\s*", re.IGNORECASE
)
"""Articles the models keep in front of place names ("la France", "die Schweiz"): a name the gazetteer
does not know is looked up once more without it ("Le Havre", "Los Angeles" are known as they are)."""


GERMAN_ADJECTIVE_ENDING = re.compile(r"(?<=[^\W\d_]e)n(?= )")
"""The "-n" of a German adjective declined before a noun ("Vereinigten Arabischen Emirate", "Vereinigten
Staaten"): cut, the name's base form is tried ("Vereinigte Arabische Emirate"; session 12)."""


def gazetteer_name(gazetteer: Gazetteer, name: str, language: str | None = None) -> str:
    """``name``, or ``name`` without its leading article, or with its German adjectives in their base form,
    or (in a language that declines names, ``place_matcher.CASE_ENDINGS``) the base form of a case form
    ("Polsce" -> "polska"), when only that form is a gazetteer name."""
    if gazetteer.lookup(name):
        return name
    if (base_key := declined_base(gazetteer, name, language)) is not None:
        return base_key
    bare = LEADING_ARTICLES.sub("", name, count=1)
    if bare != name and gazetteer.lookup(bare):
        return bare
    base = GERMAN_ADJECTIVE_ENDING.sub("", name)
    return base if base != name and gazetteer.lookup(base) else name


def place_id(place: Place) -> str:
    return f"{ID_PREFIXES['GPE']}:{place.geonames_id}"


def _with_place(entity: Entity, place: Place | None) -> Entity:
    """A resolved place takes the gazetteer's name ("Kiev", "U.S." -> "Kyiv", "United States"), so one
    place has one name in every article; the article's own forms stay in ``forms``."""
    if place is None:
        return entity
    return entity.model_copy(
        update={
            "text": place.name,
            "forms": list(dict.fromkeys([*entity.forms, entity.text])),
            "id": place_id(place),
            "geonames_id": place.geonames_id,
            "country": place.country,
            "lat": place.lat,
            "lon": place.lon,
            "kind": place.kind,
        }
    )


def group_stem(name: str) -> str:
    """One key for a group's noun, plural and adjective ("Democrat", "Democrats", "Democratic" ->
    "Democrat"; "Catholics", "Catholic" -> "Cathol"): the labelled articles name them as one entity."""
    stem = name[:-1] if len(name) > 4 and name.endswith("s") and not name.endswith("ss") else name
    return stem[:-2] if len(stem) > 5 and stem.endswith("ic") else stem


def _with_demonym(gazetteer: Gazetteer, entity: Entity) -> Entity:
    country = gazetteer.demonym_country(entity.text)
    if country is None:
        return entity.model_copy(update={"id": entity_id("NORP", group_stem(entity.text))})
    return entity.model_copy(
        update={"country": country, "id": entity_id("NORP", gazetteer.demonym_of(country) or country)}
    )


def link_entities(
    gazetteer: Gazetteer, entities: list[Entity], source_country: str | None, language: str | None = None
) -> list[Entity]:
    """Labels corrected, places resolved, NORPs linked to their country; ids on all but PERSON/ORG;
    ``language``: the article's, for case forms of place names (``gazetteer_name``)."""
    corrected = surnames_not_places(gazetteer, correct_labels(gazetteer, entities))
    corrected = correct_labels_in_context(gazetteer, corrected)
    corrected = teams_in_sports_news(gazetteer, corrected)
    names = {
        e.text: gazetteer_name(gazetteer, e.text, language) for e in corrected if e.label in PLACE_LABELS
    }
    places = resolve_places(gazetteer, list(names.values()), source_country)
    linked = []
    for entity in corrected:
        if entity.label in PLACE_LABELS:
            linked.append(_with_place(entity, places.get(names[entity.text])))
        elif entity.label == "NORP":
            linked.append(_with_demonym(gazetteer, entity))
        elif entity.label in REGISTERED_LABELS:
            linked.append(entity)
        else:
            linked.append(entity.model_copy(update={"id": entity_id(entity.label, entity.text)}))
    return _merge_same_place(linked)


def _merge_same_place(entities: list[Entity]) -> list[Entity]:
    """One entity per place id: "US" and "United States" resolved apart in one article become one; the
    same for demonyms of one country ("Palestinian" and "Palestinians") and forms of one group ("Democrats",
    "Democratic")."""
    merged: dict[str, Entity] = {}
    result: list[Entity] = []
    for entity in entities:
        one_per_id = entity.geonames_id is not None or entity.label == "NORP"
        first = merged.get(entity.id or "") if one_per_id else None
        if first is None:
            if one_per_id:
                merged[entity.id or ""] = entity
            result.append(entity)
            continue
        joined = first.model_copy(
            update={
                "mentions": first.mentions + entity.mentions,
                "forms": list(dict.fromkeys([*first.forms, *entity.forms])),
            }
        )
        merged[entity.id or ""] = joined
        result[result.index(first)] = joined
    return result
