"""Stories across languages: the same event in English and German joins by its entity ids; another event
in German naming some of the same places stays apart."""

from __future__ import annotations

import hashlib
import math
from datetime import timedelta

from indexing.stories.assigner import Assigner
from indexing.stories.clusterer import JOIN_THRESHOLD, TIME_SCALE_H
from indexing.stories.features import from_event
from schemas.article import ArticleEvent, Entity
from tests.indexing.factory import make_event
from tests.indexing.stories.articles import T0

# (label, display name in this article's language, id): the pipeline links places to GeoNames ids and
# people and organisations to registry ids, the same in every language. As in the pipeline, the German
# articles have places only (found by the gazetteer: no German NER model).
LESBOS = ("GPE", "Lesbos", "place:256866")
MYTILENE = ("GPE", "Mytilene", "place:256601")
GREECE_EN, GREECE_DE = ("GPE", "Greece", "place:390903"), ("GPE", "Griechenland", "place:390903")
TURKEY_EN, TURKEY_DE = ("GPE", "Turkey", "place:298795"), ("GPE", "Türkei", "place:298795")
ATHENS_DE = ("GPE", "Athen", "place:264371")
COAST_GUARD = ("ORG", "Hellenic Coast Guard", "org:hellenic-coast-guard")
FRONTEX = ("ORG", "Frontex", "org:frontex")
MITSOTAKIS = ("PERSON", "Kyriakos Mitsotakis", "person:kyriakos-mitsotakis")

FERRY_EN = (
    "Ferry capsizes off Lesbos, coast guard rescues 41 passengers",
    "A passenger ferry capsized in rough seas off the Greek island of Lesbos early on Tuesday, and the "
    "Hellenic Coast Guard said it had pulled 41 people from the water near the port of Mytilene. Three "
    "passengers were still missing in the afternoon. Frontex sent a patrol aircraft to help the search, "
    "which was hampered by winds of up to nine Beaufort. The ferry had left the Turkish coast shortly "
    "after midnight. Prime Minister Kyriakos Mitsotakis spoke of a tragedy and promised an inquiry into "
    "how the overloaded vessel had been allowed to sail. Survivors were taken to the hospital in Mytilene, "
    "where doctors treated several of them for hypothermia.",
    (LESBOS, MYTILENE, GREECE_EN, TURKEY_EN, COAST_GUARD, FRONTEX, MITSOTAKIS),
)
FERRY_DE = (
    "Fährunglück vor Lesbos: Küstenwache rettet 41 Menschen",
    "Vor der griechischen Insel Lesbos ist am frühen Dienstagmorgen bei schwerem Seegang eine "
    "Passagierfähre gekentert. Die griechische Küstenwache zog nach eigenen Angaben "
    "41 Menschen nahe dem Hafen von Mytilene aus dem Wasser, drei Passagiere galten am Nachmittag noch als "
    "vermisst. Die EU-Grenzschutzagentur Frontex schickte ein Suchflugzeug. Die Fähre war kurz nach "
    "Mitternacht an der türkischen Küste abgelegt. Regierungschef Kyriakos Mitsotakis sprach von einer "
    "Tragödie und kündigte eine Untersuchung an. Die Überlebenden wurden in das Krankenhaus von Mytilene "
    "gebracht, viele von ihnen waren stark unterkühlt.",
    (LESBOS, MYTILENE, GREECE_DE, TURKEY_DE),  # German has no NER model: places only (gazetteer)
)
BUDGET_DE = (
    "Athen legt Haushalt vor: Mehr Geld für Renten und Verteidigung",
    "Die griechische Regierung hat am Dienstag in Athen den Haushaltsentwurf für das kommende Jahr "
    "vorgelegt. Finanzminister Kostis Hatzidakis kündigte höhere Renten und mehr Ausgaben für die "
    "Verteidigung an, auch wegen der Spannungen mit der Türkei. Regierungschef Kyriakos Mitsotakis "
    "verteidigte die Pläne im Parlament: Griechenland habe seine Schulden schneller abgebaut als von der "
    "Europäischen Union verlangt. Die Opposition warf der Regierung vor, die Mieten und Lebensmittelpreise "
    "zu übersehen. Das Parlament soll im Dezember abstimmen.",
    (ATHENS_DE, GREECE_DE, TURKEY_DE),
)


def _event(
    n: int, language: str, article: tuple[str, str, tuple[tuple[str, str, str], ...]], hours: float
) -> ArticleEvent:
    title, text, entities = article
    return make_event(
        n,
        salt="cross-lingual",
        title=title,
        text=text,
        description=None,
        language=language,
        entities=[Entity(text=name, label=label, mentions=1, id=key) for label, name, key in entities],  # type: ignore[arg-type]
        content_hash=hashlib.sha256(text.encode()).hexdigest(),
        published_at=T0 + timedelta(hours=hours),
    )


def test_the_same_event_in_another_language_joins_its_story_by_entity_ids() -> None:
    assigner = Assigner()
    english = assigner.assign(from_event(_event(1, "en", FERRY_EN, 0)))
    german = assigner.assign(from_event(_event(2, "de", FERRY_DE, 3)))
    assert german.assignment.story_id == english.assignment.story_id
    assert german.assignment.duplicate_of is None
    assert german.story.languages == {"en": 1, "de": 1}


def test_another_event_in_another_language_naming_the_same_countries_stays_apart() -> None:
    assigner = Assigner()
    english = assigner.assign(from_event(_event(1, "en", FERRY_EN, 0)))
    budget = assigner.assign(from_event(_event(2, "de", BUDGET_DE, 3)))
    assert budget.assignment.story_id != english.assignment.story_id


def test_the_same_event_in_another_language_a_week_later_founds_its_own_story() -> None:
    assigner = Assigner()
    english = assigner.assign(from_event(_event(1, "en", FERRY_EN, 0)))
    german = assigner.assign(from_event(_event(2, "de", FERRY_DE, 7 * 24)))
    assert german.assignment.story_id != english.assignment.story_id


def test_a_cross_language_score_stays_under_the_bound_that_lets_candidates_be_skipped() -> None:
    assigner = Assigner()
    clusterer = assigner.clusterer
    english = assigner.assign(from_event(_event(1, "en", FERRY_EN, 0)))
    german = from_event(_event(2, "de", FERRY_DE, 3))
    idfs = clusterer.idfs(german)
    vector = {term: tf * idfs[term] for term, tf in german.terms.items()}
    norm = math.sqrt(sum(w * w for w in vector.values())) or 1.0
    squared = {term: weight * idfs[term] for term, weight in vector.items()}
    decay = math.exp(-0.5 * (3 / TIME_SCALE_H) ** 2)
    score = clusterer.similarity(german, squared, norm, clusterer.stories[english.assignment.story_id])
    # A young window (one article: the body's bound is low) and a strong entity match: the largest case.
    assert JOIN_THRESHOLD < score <= clusterer.score_bound() * decay
