"""Town names that are also common nouns ("die Leiden", "ein Adler", "la Constitución"): whether a text uses
them as places, from the words before them (session 13).

A town takes no article in German, Spanish, Italian or Portuguese ("in Leiden", "en Constitución", "a
Roma"); a common noun does ("die Leiden", "la nueva Constitución"). For each one-word name the place matcher
or the German cues found that names only towns, every occurrence is read from the word before it:

- a determiner or an article fused with a preposition ("der", "ein", "seine", "im"; "la", "del"; "il",
  "nella"; "o", "do") makes it a noun, and so does a German inflected adjective ("seelisches Leiden", not
  after "im"/"in": "im alten Rom");
- a locative preposition ("in", "aus", "nach"; "en", "desde"; "a", "da"; "em") makes it a place.

Spanish, Italian and Portuguese: a name read as a noun somewhere and never as a place is dropped. German
capitalises every noun, so a German name is judged only when the German lexicon (``data/de_noun_names.tsv``,
from Wiktionary) has it as a common noun: then it is dropped when read as a noun somewhere and never as a
place, or, when German knows it as a noun only (no toponym or other proper name: "Gerät", "Mut", "Klang"),
whenever no occurrence reads as a place.

Spanish, Italian and Portuguese also write places inside institutions' names ("Fiscalía General de
Colombia", "Parco Nazionale d'Abruzzo"): a place the text writes only so is no place of the article (the
label convention, as German ``place_cues.ORG_HEAD_WORDS``).

Measured on places-de-dev, places-dev, the German tuned articles and the unlabelled pages of these
languages (docs/enrichment-log.md, "Session 13: places").
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from ingest.entity_merge import Mention
from ingest.gazetteer import Gazetteer, name_key
from ingest.place_cues import word_occurrences
from ingest.place_matcher import INFLECTION_SUFFIXES, abbreviates

NOUNS_FILE = Path(__file__).resolve().parent / "data" / "de_noun_names.tsv"


@dataclass(frozen=True)
class _Language:
    determiners: frozenset[str]
    locatives: frozenset[str]
    adjectives: bool = False  # an inflected adjective before a name marks a noun (German)
    lexicon: bool = False  # only names the German noun lexicon lists are judged
    org_heads: frozenset[str] = frozenset()  # capitalised nouns that head an institution's name


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


LANGUAGES = {
    "de": _Language(
        _words(
            "der die das dem den des ein eine einen einem einer eines kein keine keinen keinem keiner keines "
            "mein meine meinen meinem meiner meines dein deine deinen deinem deiner deines sein seine seinen "
            "seinem seiner seines ihr ihre ihren ihrem ihrer ihres unser unsere unseren unserem unserer "
            "unseres euer eure euren eurem eurer eures dieser diese diesen diesem dieses jener jene jenen "
            "jenem jenes jeder jede jeden jedem jedes welcher welche welchen welchem welches mancher manche "
            "manchen manchem manches solcher solche solchen solchem solches am im vom zum zur beim ins ans "
            "aufs durchs fürs ums"
        ),
        _words("in aus nach bei Richtung nahe"),
        adjectives=True,
        lexicon=True,
    ),
    "es": _Language(
        _words("el la los las un una unos unas del al este esta estos estas ese esa esos esas su sus"),
        _words("en desde hasta hacia"),
        org_heads=_words(
            "Universidad Instituto Fiscalía Partido Banco Fundación Asociación Federación Confederación Club "
            "Parque Museo Teatro Hospital Aeropuerto Policía Carabineros Servicio Colegio Escuela Diócesis "
            "Arquidiócesis Sociedad Compañía Corporación Tribunal Corte Consejo Comisión Comité Agencia "
            "Dirección Secretaría Ministerio Ejército Armada Selección Liga Orquesta Biblioteca Academia "
            "Sindicato Cooperativa Superintendencia Fuerzas Frente Movimiento Real Atlético "
            "Deportivo"
        ),
    ),
    "it": _Language(
        _words(
            "il lo la i gli le un uno una del dello della dei degli delle al allo alla ai agli alle nel "
            "nello nella nei negli nelle sul sullo sulla sui sugli sulle dal dallo dalla dai dagli dalle "
            "questo questa questi queste quel quella quei quelle"
        ),
        _words("a in da"),
        org_heads=_words(
            "Università Istituto Procura Partito Banca Banco Fondazione Associazione Federazione "
            "Confederazione Club Parco Museo Teatro Ospedale Aeroporto Polizia Carabinieri Servizio Collegio "
            "Scuola Diocesi Arcidiocesi Società Compagnia Tribunale Corte Consiglio Commissione Comitato "
            "Agenzia Direzione Segreteria Ministero Esercito Nazionale Lega Orchestra Biblioteca Accademia "
            "Sindacato Cooperativa Questura Prefettura Riserva Movimento Fronte"
        ),
    ),
    "pt": _Language(
        _words(
            "o os as um uma uns umas do da dos das no na nos nas ao aos pelo pela pelos pelas este esta "
            "esse essa"
        ),
        _words("em desde"),
        org_heads=_words(
            "Universidade Instituto Procuradoria Partido Banco Fundação Associação Federação Confederação "
            "Clube Parque Museu Teatro Hospital Aeroporto Polícia Serviço Colégio Escola Diocese "
            "Arquidiocese Sociedade Companhia Tribunal Corte Conselho Comissão Comitê Agência Direção "
            "Secretaria Ministério Exército Marinha Seleção Liga Orquestra Biblioteca Academia Sindicato "
            "Cooperativa Movimento Frente"
        ),
    ),
}
"""Per language, the words before a name that make it a noun (determiners, articles fused with a
preposition) and a place (locative prepositions that name a town without an article). Not "a" in Spanish and
Portuguese (also "to" and the article "a"), nor "de"/"di" (also "of" before a noun: "el Secretario de
Defensa")."""

ORG_LINKS = _words("de del di della dello delle dei degli da do dos das")
"""Prepositions (with a fused article) between an institution's head noun and a place in its name
("Partido Comunista de Cuba", "Parco Nazionale d'Abruzzo")."""
ORG_NAME_MAX_WORDS = 6
"""Words looked back over from a place to the head noun of the name it may stand in."""
_NAME_TOKEN = re.compile(r"(?:[^\W\d_]{1,5}['’])?[^\W\d_][\w'’.-]*")

ADJECTIVE_ENDINGS = ("e", "en", "er", "es", "em")
"""Endings of an attributive German adjective ("seelisches Leiden", "den egoistischen Zug")."""
ADJECTIVE_MIN_CHARS = 4
"""Shorter lower-case words with those endings are pronouns and particles ("sie", "wer", "wie")."""

NOT_ADJECTIVES = _words(
    "aber oder sowie unter über hinter gegen neben ohne wegen außer ausser gegenüber zwischen entlang immer "
    "wieder später heute gerne lange eben oben unten hier daher außerdem trotzdem seither bisher ihnen denen "
    "deren dessen werden wurde wurden worden haben habe hatte hatten seien wäre wären würde würden sollen "
    "sollte sollten können konnte konnten könnte könnten müssen musste mussten wollen wollte wollten dürfen "
    "durfte mögen möchte morgen gestern nahe ebenfalls jedoch sondern nämlich bereits jetzt sagte sagen "
    "gehen kommen machen geben stehen liegen zuvor außen innen weiter sehr mehr weniger eher lieber leider "
    "sofern dagegen daneben darunter darüber dahinter"
)
"""German lower-case words with an adjective's ending that are no adjective: prepositions, conjunctions,
adverbs, pronouns, auxiliary and common verbs."""

PLACE_ADJECTIVE_LEADS = _words("im in ins nach aus")
"""German words before an adjective that qualifies a town ("im alten Rom", "aus dem schweizerischen
Baden"): the adjective is then no evidence for a noun."""

_BEFORE = re.compile(r"([^\W\d_][\w'’./-]*)[ \t\u00a0]+$")
BEFORE_CHARS = 40
"""How far back the word before a name is looked for (longer words are rare)."""


@cache
def noun_names() -> dict[str, bool]:
    """German common nouns' written forms that the place rules can meet -> whether German also has the
    form as a proper name (a toponym, a surname)."""
    table: dict[str, bool] = {}
    with NOUNS_FILE.open(encoding="utf-8") as handle:
        for line in handle:
            if line.startswith("#") or not line.strip():
                continue
            form, _, flag = line.rstrip("\n").partition("\t")
            table[form] = flag == "proper"
    return table


def _word_before(text: str, start: int) -> re.Match[str] | None:
    return _BEFORE.search(text, max(0, start - BEFORE_CHARS), start)


def reading(text: str, start: int, language: str) -> str | None:
    """How the word before ``start`` reads the name there in ``language`` (a key of LANGUAGES): "noun",
    "place" or None (no evidence)."""
    rules = LANGUAGES[language]
    match = _word_before(text, start)
    if match is None:
        return None
    before = match.group(1)
    if before in rules.locatives or before.casefold() in rules.locatives:
        return "place"
    folded = before.casefold()
    if folded in rules.determiners and (before.islower() or before[1:].islower()):
        return "noun"
    if (
        rules.adjectives
        and before.islower()
        and len(before) >= ADJECTIVE_MIN_CHARS
        and before.endswith(ADJECTIVE_ENDINGS)
        and folded not in NOT_ADJECTIVES
        and not _leads_to_place(text, match.start())
    ):
        return "noun"
    return None


def _leads_to_place(text: str, start: int) -> bool:
    """The words before a German adjective (at ``start``) are "im", or a locative preposition with or
    without "dem" ("aus dem schweizerischen Baden")."""
    earlier = _word_before(text, start)
    if earlier is not None and earlier.group(1).casefold() == "dem":
        earlier = _word_before(text, earlier.start())
    return earlier is not None and earlier.group(1).casefold() in PLACE_ADJECTIVE_LEADS


def in_org_name(text: str, start: int, language: str) -> bool:
    """The name at ``start`` stands inside an institution's name: the capitalised run before it (joined by
    spaces, ORG_LINKS, "e"/"y", elided articles) holds one of the language's head nouns with a link word
    between them ("Fiscalía General de Colombia", "Parco Nazionale d'Abruzzo Lazio e Molise")."""
    heads = LANGUAGES[language].org_heads
    window = text[max(0, start - BEFORE_CHARS * 3) : start]
    linked = bool(re.search(r"(?<![\w])[^\W\d_]{1,5}['’]$", window))  # "d'Abruzzo"
    if linked:
        window = re.sub(r"[^\W\d_]{1,5}['’]$", "", window)
    tokens = _NAME_TOKEN.findall(window.rsplit("\n", 1)[-1])
    if not window.endswith((" ", "\u00a0")) and not linked:
        return False
    for token in reversed(tokens[-ORG_NAME_MAX_WORDS:]):
        bare = re.sub(r"^[^\W\d_]{1,5}['’]", "", token)
        if token in ORG_LINKS or (bare != token and token[:1].islower()):
            linked = True
        elif bare in heads:
            return linked
        elif not (bare[:1].isupper() or token in ("e", "y")):
            return False
    return False


def _names_only_towns(gazetteer: Gazetteer, name: str) -> bool:
    """Every place ``name`` names is a city, or a region it only abbreviates ("Maß", key "mass": Mass.);
    true too for a name the gazetteer lacks (a German cue's town)."""
    key = name_key(name)
    return all(p.kind == "city" or abbreviates(p, key) for p in gazetteer.lookup(name))


def is_noun_here(gazetteer: Gazetteer, text: str, name: str, language: str) -> bool:
    """Whether ``text`` uses ``name`` (one word that names only towns) as a common noun (module
    docstring)."""
    rules = LANGUAGES[language]
    proper = True
    written = name
    if rules.lexicon:
        if name not in noun_names():
            # the matcher may have cut an ending off ("Hamas" -> "Hama", Hamm's alternate): the written form
            forms = [name + ending for ending in INFLECTION_SUFFIXES if name + ending in noun_names()]
            if forms and not word_occurrences(text, name):
                written = next((form for form in forms if word_occurrences(text, form)), name)
        known = noun_names().get(written)
        if known is None:
            return False
        proper = known
    readings = [reading(text, start, language) for start in word_occurrences(text, written)]
    if "place" in readings:
        return False
    return "noun" in readings or not proper  # a noun only: no occurrence (a cut form, "Böses") is no place


def without_common_nouns(
    gazetteer: Gazetteer, text: str, mentions: Sequence[Mention], language: str | None
) -> tuple[Mention, ...]:
    """``mentions`` (places of a text in a language without a model) less the one-word town names that the
    text uses as common nouns and the places it writes only inside institutions' names."""
    if language not in LANGUAGES:
        return tuple(mentions)
    in_names = {
        name
        for name in {m.text for m in mentions}
        if LANGUAGES[language].org_heads
        and (starts := word_occurrences(text, name))
        and all(in_org_name(text, start, language) for start in starts)
    }
    nouns = in_names | {
        name
        for name in {m.text for m in mentions if m.label == "GPE" and " " not in m.text}
        if _names_only_towns(gazetteer, name) and is_noun_here(gazetteer, text, name, language)
    }
    return tuple(m for m in mentions if m.text not in nouns)
