"""Place names of one document -> gazetteer places, ambiguous names decided by priors and context.

A name's candidates are scored by population (log10), by kind (a country or continent beats a city of the
same name: "Georgia", "Mexico"), by whether the name is the place's own or an alternate one, and by the
document: a region that contains the candidate city ("Paris" beside "Texas"), a country that the other
places of the document lie in, the source's country. Pure; calibrated on the hand-labelled articles
(``bench/entity_quality.py``, docs/enrichment.md): re-run it after changing a weight.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ingest.gazetteer import Gazetteer, Place

KIND_BONUS = {"country": 2.0, "continent": 2.0, "region": 0.5, "city": 0.0}
"""In log10 population units: a country shares its name with a city 100x more populous before the city
wins ("Luxembourg" the country over the city, "Georgia" the country over the US state)."""

ALTERNATE_NAME_PENALTY = 1.5
"""A city matched by an alternate name only ("Washington" is one of a Maryland town's GeoNames alternates)
needs a 30x larger population to beat a place of that own name."""

CONTAINMENT_BONUS = 3.0
"""A candidate inside a region the document names, or a region containing a city it names, or the very
place another name of the document certainly is ("Washington" beside "D.C."): the strongest cue ("Paris,
Texas"), enough to beat a 1,000x larger namesake."""

COUNTRY_CONTEXT_BONUS = 0.75
"""A candidate in a country the document names or places other names in: weaker, as world news names many
countries ("Paris" in a US article stays French: 6.3 vs 4.4 + 0.75 + 0.5; "Geneva" in one naming US
places stays Swiss: 5.3 vs 4.3 + 0.75)."""

SOURCE_COUNTRY_BONUS = 0.5
"""A candidate in the source's country (its ccTLD): a local outlet's "Frankfurt" is its own country's."""

CLEAR_MARGIN = 2.0
"""A name whose best candidate leads the next by this much (prior alone) is certain enough to serve as
context for the others."""


@dataclass(frozen=True)
class _Context:
    places: frozenset[int]  # geonames ids of the anchors
    countries: frozenset[str]
    regions: frozenset[tuple[str, str]]  # (country, admin1) of regions named
    city_regions: frozenset[tuple[str, str]]  # (country, admin1) of cities named


def _static_score(gazetteer: Gazetteer, place: Place, name: str) -> float:
    score = place.prior + KIND_BONUS[place.kind]
    if place.kind == "city" and not gazetteer.is_main_name(place, name):
        score -= ALTERNATE_NAME_PENALTY
    return score


def _ranked(gazetteer: Gazetteer, name: str) -> list[tuple[float, Place]]:
    scored = [(_static_score(gazetteer, place, name), place) for place in gazetteer.lookup(name)]
    return sorted(scored, key=lambda item: -item[0])


def _context(anchors: Sequence[Place]) -> _Context:
    return _Context(
        places=frozenset(p.geonames_id for p in anchors),
        countries=frozenset(p.country for p in anchors if p.country),
        regions=frozenset(
            (p.country, p.admin1) for p in anchors if p.kind == "region" and p.country and p.admin1
        ),
        city_regions=frozenset(
            (p.country, p.admin1) for p in anchors if p.kind == "city" and p.country and p.admin1
        ),
    )


def _context_bonus(place: Place, context: _Context, source_country: str | None) -> float:
    bonus = 0.0
    region = (place.country or "", place.admin1 or "")
    if (
        (place.kind == "city" and region in context.regions)
        or (place.kind == "region" and region in context.city_regions)
        or place.geonames_id in context.places
    ):
        bonus += CONTAINMENT_BONUS
    if place.country in context.countries:
        bonus += COUNTRY_CONTEXT_BONUS
    if source_country is not None and place.country == source_country:
        bonus += SOURCE_COUNTRY_BONUS
    return bonus


def resolve_places(
    gazetteer: Gazetteer, names: Sequence[str], source_country: str | None = None
) -> dict[str, Place]:
    """The place of each name that the gazetteer knows (unknown names are left out)."""
    ranked = {name: _ranked(gazetteer, name) for name in dict.fromkeys(names)}
    ranked = {name: candidates for name, candidates in ranked.items() if candidates}
    anchors = {
        name: candidates[0][1]
        for name, candidates in ranked.items()
        if len(candidates) == 1 or candidates[0][0] - candidates[1][0] >= CLEAR_MARGIN
    }
    resolved: dict[str, Place] = {}
    for name, candidates in ranked.items():
        if len(candidates) == 1:
            resolved[name] = candidates[0][1]
            continue
        context = _context([place for other, place in anchors.items() if other != name])
        resolved[name] = max(
            candidates, key=lambda item: item[0] + _context_bonus(item[1], context, source_country)
        )[1]
    return resolved
