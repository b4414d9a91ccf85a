"""Label corrections where knowledge is unambiguous: ONE table, one reason per row, applied in order.

The small NER models label by context only, so "Crimea" comes out ORG, "Ukrainian" GPE and "Truth Social"
FAC. Each ``LabelRule`` says which model labels it overrides, what it matches (a name list, a demonym, a
gazetteer place) and the label it gives; the first matching row wins. Measured per label, raw model vs
final, by ``bench/entity_quality.py`` (docs/enrichment.md, "Label corrections").
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache

from ingest.gazetteer import Gazetteer, name_key
from schemas.article import Entity, EntityLabel

NEWS_OUTLETS = frozenset({
    "Reuters", "Associated Press", "AP", "AFP", "Agence France-Presse", "dpa", "DPA", "ANSA", "EFE",
    "BBC", "BBC News", "CNN", "Fox News", "NBC", "NBC News", "CBS", "CBS News", "ABC", "ABC News", "MSNBC",
    "NPR", "PBS", "Bloomberg", "CNBC", "Politico", "Axios", "Al Jazeera", "Sky News", "ITV", "Channel 4",
    "New York Times", "Washington Post", "Wall Street Journal", "USA Today", "Guardian", "Financial Times",
    "Times of Israel", "Haaretz", "Le Monde", "Le Figaro", "Libération", "Spiegel", "Der Spiegel",
    "Süddeutsche Zeitung", "FAZ", "Bild", "Die Zeit", "Zeit", "tagesschau", "ARD", "ZDF", "Deutsche Welle",
})  # fmt: skip
"""News outlets and agencies, tagged GPE/PERSON/FAC/WORK_OF_ART by the small model as often as ORG."""

PLATFORMS = frozenset({
    "Twitter", "Facebook", "Instagram", "TikTok", "YouTube", "Truth Social", "Telegram", "WhatsApp",
    "LinkedIn", "Reddit", "Snapchat", "Bluesky", "Mastodon", "WeChat", "Weibo",
})  # fmt: skip
"""Social platforms: the companies and services are named alike; OntoNotes annotators tag them ORG."""

CITY_AS_PLACE_MIN_POPULATION = 100_000
"""A name the model tags ORG/PERSON is relabelled a place when it is a country, region or continent, or a
city at least this large: below it, town names are too often also surnames and firms ("Hamilton")."""

_PLACE_OVERRIDABLE = frozenset({"ORG", "PERSON", "FAC", "PRODUCT", "WORK_OF_ART", "EVENT"})
"""Not NORP: a NORP that is also a town's name is a people far more often ("Brits", a South African town)."""


@dataclass(frozen=True)
class LabelRule:
    """When an entity labelled one of ``overrides`` matches, it becomes ``label``."""

    overrides: frozenset[str]
    match: str  # "names" (``names`` below), "demonym", "major_place", "natural_place"
    label: EntityLabel
    reason: str
    names: frozenset[str] = frozenset()


ALL_LABELS = frozenset(
    {"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT", "PRODUCT", "WORK_OF_ART", "LAW"}
)

LABEL_RULES: tuple[LabelRule, ...] = (
    LabelRule(
        ALL_LABELS - {"ORG"}, "names", "ORG", "news outlets and agencies are organisations", NEWS_OUTLETS
    ),
    LabelRule(ALL_LABELS - {"ORG"}, "names", "ORG", "social platforms are their companies (ORG)", PLATFORMS),
    LabelRule(
        frozenset({"GPE", "LOC", "ORG", "PERSON", "FAC", "PRODUCT"}),
        "demonym",
        "NORP",
        "a demonym names a nationality, not the place ('Ukrainian' tagged GPE)",
    ),
    LabelRule(
        _PLACE_OVERRIDABLE | {"GPE"}, "natural_place", "LOC", "a continent is a natural place (OntoNotes LOC)"
    ),
    LabelRule(
        _PLACE_OVERRIDABLE,
        "major_place",
        "GPE",
        "a country, first-level region or large city of the gazetteer is a place ('Crimea' tagged ORG)",
    ),
)


@cache
def _name_keys(names: frozenset[str]) -> frozenset[str]:
    return frozenset(name_key(name) for name in names)


def _matchers(gazetteer: Gazetteer) -> dict[str, Callable[[LabelRule, str], bool]]:
    def major_place(_: LabelRule, name: str) -> bool:
        """Cities by their own name only: their alternate names include other languages' words ("Hamas"
        is an alternate of Hamm, "Lime" the French name of Lima)."""
        return any(
            p.kind in ("country", "region")
            or (
                p.kind == "city"
                and p.population >= CITY_AS_PLACE_MIN_POPULATION
                and gazetteer.is_main_name(p, name)
            )
            for p in gazetteer.lookup(name)
        )

    return {
        "names": lambda rule, name: name_key(name) in _name_keys(rule.names),
        "demonym": lambda _, name: gazetteer.demonym_country(name) is not None,
        "natural_place": lambda _, name: any(p.kind == "continent" for p in gazetteer.lookup(name)),
        "major_place": major_place,
    }


def correct_labels(
    gazetteer: Gazetteer, entities: Iterable[Entity], rules: Iterable[LabelRule] = LABEL_RULES
) -> list[Entity]:
    """The entities with the first matching rule's label each (unchanged ones are the same objects)."""
    matchers = _matchers(gazetteer)
    rules = tuple(rules)
    result = []
    for entity in entities:
        matching = (r for r in rules if entity.label in r.overrides and matchers[r.match](r, entity.text))
        label = next((rule.label for rule in matching), entity.label)
        result.append(entity if label == entity.label else entity.model_copy(update={"label": label}))
    return result
