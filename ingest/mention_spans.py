"""Mention spans set right where the model cut a name wrong (pure).

The small English model reads "Washington's Supreme Court", "Ukraine's Air Force" and "UK Government" as
one ORG, "Miami-Dade Police" as a place followed by a word, and "U.S. District Court" as a place and an
ORG. OntoNotes, and so the labelled articles, name the place (GPE) and the institution apart in the
first, tag "the U.K. government" as the place alone, and the last two as one ORG. Measured by
``bench/entity_quality.py``.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import replace

from ingest.entity_merge import ORG_WORDS, Mention, clean_mention
from ingest.gazetteer import Gazetteer, name_key
from ingest.label_rules import given_names, group_keys, known_org_keys, world_region_keys

GOVERNMENT_WORDS = frozenset({"government", "administration"})
"""Words after a country or region name that make the mention the place acting as a state ("UK
Government", "US administration"): OntoNotes tags the place alone GPE. Not "Ministry" etc.: a named
ministry is an organisation of its own ("Defence Ministry")."""

ORG_HEAD_WORDS = frozenset({
    "police", "department", "council", "party", "ministry", "agency", "authority", "commission",
    "committee", "court", "university", "college", "bank", "office", "board", "bureau", "club", "fc",
    "airlines", "airways", "army", "navy", "foundation", "institute", "association", "corporation",
})  # fmt: skip
"""Capitalised words that, right after a mention, head an organisation the model cut short ("Miami-Dade"
GPE + "Police", "Labour" + "Party"): the mention is extended over them and becomes ORG."""

QUALIFIER_LABELS = frozenset({"GPE", "NORP"})
"""Labels of a name that qualifies an organisation written right after it ("U.S. District Court")."""

_POSSESSIVE_SPLIT = re.compile(r"^(?P<owner>.+?)['’‘]s? (?P<name>[A-Z].*)$")

_WORD = re.compile(r"\w+(?:['’-]\w+)*")

_LEADING_THE = re.compile(r"^the\s+", re.IGNORECASE)

_SPLIT_KINDS = frozenset({"country", "region", "city"})


def _is_place_name(gazetteer: Gazetteer, name: str, kinds: frozenset[str] = _SPLIT_KINDS) -> bool:
    """A name of a gazetteer country or region, or a city's own name (not one of its many alternates, which
    include other languages' words), and no demonym."""
    return gazetteer.demonym_country(name) is None and any(
        place.kind in kinds and (place.kind != "city" or gazetteer.is_main_name(place, name))
        for place in gazetteer.lookup(name)
    )


def _org_head(after: str) -> str:
    """The capitalised organisation head words that start ``after`` ("Police Department"), or ""."""
    heads = []
    for word in after.split():
        if not (word[:1].isupper() and word.casefold() in ORG_HEAD_WORDS):
            break
        heads.append(word)
    return " ".join(heads)


def _adjacent(first: Mention, second: Mention) -> bool:
    """Whether ``second`` starts right after ``first`` in the text (no word or punctuation between)."""
    first_words, second_words = first.text.split(), second.text.split()
    return bool(
        first_words
        and second_words
        and second.before == first_words[-1]
        and first.after.split()[:1] == second_words[:1]
    )


def join_qualified_organisations(
    mentions: Iterable[Mention], gazetteer: Gazetteer | None = None
) -> list[Mention]:
    """A place or nationality the model split from the organisation right after it is joined to it
    ("U.S." GPE + "District Court" ORG -> "U.S. District Court" ORG): names are not written side by side
    without a word or punctuation between them. With ``gazetteer``, a country's name the model tagged ORG
    qualifies too ("the United States" ORG + "Marine Corps" ORG, session 9). A nationality right before a
    natural place is joined to it as one LOC ("Canadian" NORP + "Rockies" LOC, session 9)."""
    result: list[Mention] = []
    for mention in mentions:
        previous = result[-1] if result else None
        if (
            previous is not None
            and mention.label == "ORG"
            and _adjacent(previous, mention)
            and (previous.label in QUALIFIER_LABELS or _is_country_org(gazetteer, previous))
        ):
            result[-1] = Mention(f"{previous.text} {mention.text}", "ORG", previous.before, mention.after)
            continue
        if (
            previous is not None
            and mention.label == "LOC"
            and previous.label == "NORP"
            and _adjacent(previous, mention)
        ):  # "Canadian" + "Rockies": a nationality qualifying a natural place is part of its name
            result[-1] = Mention(f"{previous.text} {mention.text}", "LOC", previous.before, mention.after)
            continue
        result.append(mention)
    return result


def _is_country_org(gazetteer: Gazetteer | None, mention: Mention) -> bool:
    """An ORG mention that is a country's name ("the United States"), as the gazetteer knows it."""
    if gazetteer is None or mention.label != "ORG":
        return False
    name = _LEADING_THE.sub("", mention.text)
    return any(place.kind == "country" for place in gazetteer.lookup(name))


def _place_then_people(gazetteer: Gazetteer, text: str) -> tuple[str, str] | None:
    """ "Washington Native American" -> ("Washington", "Native American"): a NORP mention that is a
    place's name followed by a nationality or group (the model ran the place into it); None otherwise."""
    words = text.split()
    if gazetteer.demonym_country(text) is not None or name_key(text) in group_keys():
        return None
    for cut in (1, 2):
        place, people = " ".join(words[:cut]), " ".join(words[cut:])
        if (
            len(words) > cut
            and _is_place_name(gazetteer, place)
            and (gazetteer.demonym_country(people) is not None or name_key(people) in group_keys())
        ):
            return place, people
    return None


COORDINATED_LABELS = frozenset({"ORG", "WORK_OF_ART", "PRODUCT"})
"""Labels the coordination rule turns into PERSON: the model's usual misreadings of a person's full name;
not places ("South Pembrokeshire and Stephen Crabb": constituency and member)."""

COORDINATED_PERSON_WORDS = (2, 3)
"""Name lengths (words) of a person's full name, as the coordination and possessive rules judge it."""


def _joined_by_and(first: Mention, second: Mention) -> bool:
    """Whether the text reads "<first> and <second>" (the model keeps two words after a mention)."""
    after, second_words = first.after.split(), second.text.split()
    return len(after) == 2 and after[0] == "and" and bool(second_words) and after[1] == second_words[0]


def _person_like(gazetteer: Gazetteer, name: str) -> bool:
    """Shaped like a person's full name: two or three capitalised words, no organisation head, no
    gazetteer place."""
    words = name.split()
    return (
        len(words) in COORDINATED_PERSON_WORDS
        and all(word[:1].isupper() for word in words)
        and not ORG_HEAD_WORDS.intersection(word.casefold() for word in words)
        and not gazetteer.lookup(name)
    )


def coordinated_people(gazetteer: Gazetteer, mentions: list[Mention]) -> list[Mention]:
    """A full name joined by "and" to a person's full name is a person's too ("goals from Trevoh Chalobah
    and Nicolas Jackson", the first tagged ORG): news coordinates like with like. Only names of two or
    three capitalised words, no organisation head, no gazetteer place. Unchanged mentions are the same
    objects."""
    result = list(mentions)
    for index in range(len(result) - 1):
        first, second = result[index], result[index + 1]
        if not _joined_by_and(first, second) or (first.label == "PERSON") == (second.label == "PERSON"):
            continue
        other = index if second.label == "PERSON" else index + 1
        if result[other].label not in COORDINATED_LABELS:
            continue
        person = result[index + 1 if other == index else index]
        if len(person.text.split()) in COORDINATED_PERSON_WORDS and _person_like(
            gazetteer, result[other].text
        ):
            result[other] = replace(result[other], label="PERSON")
    return result


_PARTICLE_WORD = re.compile(r"^d['’][A-Z][\w-]*")


def _place_particle(gazetteer: Gazetteer, mention: Mention) -> str | None:
    """ "Coeur" + "d’Alene": a mention the model cut before a French particle word ("d’Alene", "d'Ivoire")
    whose whole is a gazetteer place's name: that name (the tokenizer splits at the apostrophe); else None."""
    match = _PARTICLE_WORD.match(mention.after)
    if match is None:
        return None
    name = f"{mention.text.strip()} {match.group()}"
    return name if _is_place_name(gazetteer, name) else None


_DOUBLED = re.compile(r"(\w)\1")


def _spelling_key(first_name: str) -> str:
    """A first name folded over the spellings news writes one name in: "y" for "i", "ph" for "f", an "h"
    after a consonant and a final "e" dropped, doubled letters single ("Bryan" = "Brian", "John" = "Jon",
    "Anne" = "Ann", "Phillip" = "Philip")."""
    key = first_name.casefold().replace("y", "i").replace("ph", "f")
    key = re.sub(r"(?<=[^aeiou])h", "", key)
    key = _DOUBLED.sub(r"\1", key)
    return key[:-1] if len(key) > 3 and key.endswith("e") else key


def join_spelling_variants(mentions: list[Mention]) -> list[Mention]:
    """PERSON full names of one document with the same surname and first names that are spellings of one
    name ("Brian Kohberger" beside "Bryan Kohberger") are one person: each mention takes the document's
    most frequent spelling, so the merge makes one entity (session 9). Unchanged mentions are the same
    objects."""
    spellings: dict[tuple[str, str], Counter[str]] = {}
    names = {}
    for index, mention in enumerate(mentions):
        if mention.label != "PERSON":
            continue
        words = clean_mention(mention.text, "PERSON").split()
        if len(words) == 2 and words[0].istitle():
            key = (_spelling_key(words[0]), words[1].casefold())
            spellings.setdefault(key, Counter())[" ".join(words)] += 1
            names[index] = key
    variants = {key: counts.most_common(1)[0][0] for key, counts in spellings.items() if len(counts) > 1}
    if not variants:
        return mentions
    return [
        replace(mention, text=variants[names[index]])
        if index in names and names[index] in variants
        else mention
        for index, mention in enumerate(mentions)
    ]


COMPASS_PREFIXES = frozenset({
    "North", "South", "East", "West", "Northeast", "Northwest", "Southeast", "Southwest",
})  # fmt: skip
"""Capitalised compass words that, right before a name the model tagged GPE, are part of its name ("South
LA", "North Korea" when the model kept "Korea" only); lower case they are directions ("south Texas")."""

OFFICE_HOLDER_WORDS = frozenset({
    "sheriff", "attorney", "coroner", "marshal", "clerk", "treasurer", "assessor", "prosecutor", "auditor",
    "comptroller", "controller", "recorder", "registrar", "governor", "mayor", "president", "chancellor",
    "commissioner", "solicitor", "surveyor", "examiner", "inspector", "ombudsman", "speaker",
})  # fmt: skip
"""Office-holders whose office is an organisation named with a possessive: "<County> Sheriff's Office",
"District Attorney's Office", "Governor's Office" (session 10). The model tags "<X> Sheriff" PERSON and
stops before "'s"."""

ADMIN_AREA_WORDS = frozenset({"county", "city", "state", "district", "parish", "borough", "township"})
"""Words of an area's name ("Harris County"): an owner with one is an office or a body, never a person."""

OFFICE_HEAD_WORDS = frozenset({"office", "department", "bureau", "division", "unit"})
"""Heads of such an office's name, capitalised after the possessive."""

LEGISLATIVE_CHAMBERS = frozenset({"senate", "house", "assembly"})
"""Chambers that number their bills ("Senate Bill 10", "House Bill 2", "Assembly Bill 5")."""

_BILL = re.compile(r"^(?:Bill|Resolution|Joint Resolution|Concurrent Resolution) (?:No\. ?)?\d+$")
_POSSESSIVE_WORD = frozenset({"'s", "’s"})
_SUB_ORG_SEPARATORS = (" at ", ", ")


def _office_of(mention: Mention) -> str | None:
    """ "Harris County Sheriff" + "'s Office" -> "Harris County Sheriff's Office" (also when the model kept it
    whole under another label); None otherwise."""
    words, after = mention.text.split(), mention.after.split()
    if (
        len(words) >= 3
        and words[-1][:1].isupper()
        and words[-1].casefold() in OFFICE_HEAD_WORDS
        and words[-2].casefold().removesuffix("'s").removesuffix("’s") in OFFICE_HOLDER_WORDS
        and words[-2][-2:] in ("'s", "’s")
    ):
        return mention.text
    if (
        len(words) >= 2
        and words[-1].casefold() in OFFICE_HOLDER_WORDS
        and len(after) == 2
        and after[0] in _POSSESSIVE_WORD
        and after[1][:1].isupper()
        and after[1].casefold() in OFFICE_HEAD_WORDS
    ):
        return f"{mention.text}{after[0]} {after[1]}"
    return None


def join_named_pairs(gazetteer: Gazetteer, mentions: Iterable[Mention]) -> list[Mention]:
    """Two mentions of one name the model cut in two (session 10): "Antigua" + "and" + "Barbuda" when the
    whole is a gazetteer country or region (GPE); a chamber + a numbered bill ("Senate" + "Bill 10" ->
    "Senate Bill 10", LAW); a given name's business ("Aisha" + "'s" + "Salon and Spa" ORG -> one ORG)."""
    result: list[Mention] = []
    for mention in mentions:
        previous = result[-1] if result else None
        if previous is None:
            result.append(mention)
            continue
        if _joined_by_and(previous, mention):
            joined = f"{previous.text} and {mention.text}"
            if _is_place_name(gazetteer, joined, frozenset({"country", "region"})):
                result[-1] = Mention(joined, "GPE", previous.before, mention.after)
                continue
        if (
            _BILL.match(mention.text)
            and previous.text.casefold() in LEGISLATIVE_CHAMBERS
            and _adjacent(previous, mention)
        ):
            result[-1] = Mention(f"{previous.text} {mention.text}", "LAW", previous.before, mention.after)
            continue
        after = previous.after.split()
        if (
            mention.label == "ORG"
            and mention.before in _POSSESSIVE_WORD
            and len(after) == 2
            and after[0] in _POSSESSIVE_WORD
            and after[1] == mention.text.split()[0]
            and previous.text.casefold() in given_names()
        ):
            text = f"{previous.text}{after[0]} {mention.text}"
            result[-1] = Mention(text, "ORG", previous.before, mention.after)
            continue
        result.append(mention)
    return result


SUB_ORG_TAIL_WORDS = frozenset({
    "university", "college", "institute", "school", "hospital", "museum", "foundation", "ministry",
    "department", "council", "agency", "commission",
})  # fmt: skip
"""Institutions that house units ("Centre for Policy Impact at Duke University", "Otto, Imperial College
London"); not a firm's legal words: "Little, Brown and Company" and "Monsters, Inc." are one name."""


def _sub_organisation(text: str) -> tuple[str, str] | None:
    """ "Centre for Policy Impact at Duke University" -> its two organisations: a unit "at" or ", " an
    institution of two or more words (``SUB_ORG_TAIL_WORDS``); None otherwise."""
    for separator in _SUB_ORG_SEPARATORS:
        head, _, tail = _LEADING_THE.sub("", text).partition(separator)
        if (
            tail
            and head[:1].isupper()
            and tail[:1].isupper()
            and separator not in tail
            and len(tail.split()) >= 2
            and SUB_ORG_TAIL_WORDS.intersection(word.casefold() for word in tail.split())
        ):
            return head, tail
    return None


def normalise_spans(gazetteer: Gazetteer, mentions: Iterable[Mention]) -> list[Mention]:
    """Each mention, after ``join_qualified_organisations``, with three rules applied: followed by
    capitalised organisation heads it is extended over them and becomes ORG ("Miami-Dade" + "Police");
    "<place>'s <Name>" becomes the place (GPE) and the name (its label kept); "<country or region>
    Government" becomes the place alone (GPE). Unchanged mentions are the same objects."""
    result: list[Mention] = []
    joined = join_spelling_variants(join_qualified_organisations(mentions, gazetteer))
    for mention in coordinated_people(gazetteer, join_named_pairs(gazetteer, joined)):
        if (office := _office_of(mention)) is not None:
            result.append(Mention(office, "ORG", mention.before))
            continue
        if mention.label == "ORG" and (parts := _sub_organisation(mention.text)):
            head_label = "PERSON" if _person_like(gazetteer, parts[0]) else "ORG"
            if len(parts[0].split()) > 1:
                result.append(Mention(parts[0], head_label, mention.before))
            result.append(Mention(parts[1], "ORG", parts[0].split()[-1], mention.after))
            continue
        if (
            mention.label == "GPE"
            and mention.before in COMPASS_PREFIXES
            and not mention.text.strip().casefold().startswith("the ")
        ):  # "South" + "LA": the model left the compass word out of a district's name (session 10)
            result.append(Mention(f"{mention.before} {mention.text.strip()}", "GPE", "", mention.after))
            continue
        heads = _org_head(mention.after)
        if heads:
            result.append(Mention(f"{mention.text} {heads}", "ORG", mention.before))
            continue
        if (particle := _place_particle(gazetteer, mention)) is not None:
            result.append(Mention(particle, "GPE", mention.before))
            continue
        text = _LEADING_THE.sub("", mention.text.strip())
        words = text.split()
        if (
            len(words) >= 2
            and words[-1].casefold() in GOVERNMENT_WORDS
            and _is_place_name(gazetteer, " ".join(words[:-1]), frozenset({"country", "region"}))
        ):
            result.append(Mention(" ".join(words[:-1]), "GPE", mention.before))
            continue
        if mention.label == "NORP" and (parts := _place_then_people(gazetteer, text)):
            result.append(Mention(parts[0], "GPE", mention.before))
            result.append(Mention(parts[1], "NORP", parts[0].split()[-1], mention.after))
            continue
        split = _POSSESSIVE_SPLIT.match(text)
        if split and _is_place_name(gazetteer, split["owner"]):
            result.append(Mention(split["owner"], "GPE", mention.before))
            result.append(Mention(split["name"], mention.label, "'s"))
            continue
        if split and mention.label != "PERSON" and _is_full_name(gazetteer, split["owner"]):
            result.append(Mention(split["owner"], "PERSON", mention.before))
            result.append(Mention(split["name"], mention.label, "'s"))
            continue
        if split and mention.label != "PERSON" and _is_organisation_name(split["owner"]):
            result.append(Mention(split["owner"], "ORG", mention.before))
            result.append(Mention(split["name"], mention.label, "'s"))
            continue
        result.append(mention)
    return result


def _is_organisation_name(owner: str) -> bool:
    """An owner with an organisation word or a known organisation's name: "National Weather Service's Storm
    Prediction Center", "The Economist's Open Future" are two organisations, the second the first's unit
    (session 10). Not an office-holder's office ("Sheriff's Office": ``_office_of``)."""
    words = _LEADING_THE.sub("", owner).split()
    return bool(words) and (
        bool(ORG_WORDS.intersection(word.casefold() for word in words))
        or name_key(" ".join(words)) in known_org_keys()
        or (
            len(words) == 1
            and bool(_ACRONYM_OWNER.match(words[0]))
            and 2 <= sum(ch.isupper() for ch in words[0]) <= MAX_ACRONYM_OWNER_LETTERS
        )
    )


_ACRONYM_OWNER = re.compile(r"^[A-Z][A-Z&.-]*[A-Z]\.?$")
MAX_ACRONYM_OWNER_LETTERS = 6
"""An all-capital owner of two to six letters is an organisation's acronym ("NASA's Jet Propulsion
Laboratory", "U-M's Automation Research Lab", session 13): no person's name is written so."""


NOT_PERSON_FIRST_WORDS = frozenset({
    "st", "saint", "sint", "san", "santa", "mount", "lake", "fort", "port", "new",
})  # fmt: skip
"""First words of two-word owners that are places or saints, not people ("St Mary's Hospital")."""

COLLECTIVE_OWNER_WORDS = frozenset({"people", "peoples", "women", "men", "children", "workers", "veterans"})
"""Last words of owners that are groups, not a person's surname: "Donetsk People's Republic", "Texas
Children's Hospital" are one name each (session 13)."""


def _is_full_name(gazetteer: Gazetteer, owner: str) -> bool:
    """Two or three capitalised words, no organisation head, not a place or a saint, no word a place or a
    known organisation ("Texas Women's Health Program", "Nvidia Founder's ..."): a person's full name
    owning what follows ("Ange Postecoglou's Champions League" -> the coach and the competition)."""
    words = owner.split()
    return (
        _person_like(gazetteer, owner)
        and not OFFICE_HOLDER_WORDS.union(ADMIN_AREA_WORDS).intersection(word.casefold() for word in words)
        and all(word[1:2].islower() for word in words)
        and words[0].casefold().rstrip(".") not in NOT_PERSON_FIRST_WORDS
        and words[-1].casefold() not in COLLECTIVE_OWNER_WORDS
        and not any(_is_place_name(gazetteer, word) or name_key(word) in known_org_keys() for word in words)
    )


COMMON_WORD_LABELS = frozenset({"GPE", "LOC"})
"""Labels of the one-word mentions that ``drop_common_words`` judges: the French model reads capitalised
words at a sentence's start as places ("Céréales", "Créé")."""


def drop_common_words(gazetteer: Gazetteer, mentions: Iterable[Mention], text: str) -> list[Mention]:
    """Mentions without the one-word GPE/LOC ones that the text also writes in lower case as a word of its
    own ("Céréales" at a sentence's start, "céréales" further on): a common word, capitalised by its
    position, not a place; the same for all-capital heading words of any label ("ACCIDENT" beside
    "accident", session 10). Names the gazetteer knows stay ("Nice", "Reading")."""
    mentions = list(mentions)
    places = {
        m.text.strip()
        for m in mentions
        if m.label in COMMON_WORD_LABELS and " " not in m.text.strip() and m.text.strip()[:1].isupper()
    }
    places = {c for c in places if not gazetteer.lookup(c) and name_key(c) not in world_region_keys()}
    headings = {m.text.strip() for m in mentions if _is_capitals_word(m.text.strip())}
    if not places and not headings:
        return mentions  # most documents: their one-word places are gazetteer places, no heading words
    common = set()
    if places:
        words = set(_WORD.findall(text))
        common = {c for c in places if c.lower() in words}
    common |= {h for h in headings if re.search(rf"(?<![\w-]){h.lower()}(?![\w-])", text)}
    return [m for m in mentions if m.text.strip() not in common or not _judged(m)]


def _judged(mention: Mention) -> bool:
    return mention.label in COMMON_WORD_LABELS or _is_capitals_word(mention.text.strip())


MIN_CAPITALS_WORD_LETTERS = 5
"""An all-capital one-word mention this long whose lower-case form the text also writes is a heading word
("ACCIDENT", "ARRESTS" in a police blotter, session 10); shorter ones are acronyms that are also words
("WHO", "NATO" beside "who")."""


def _is_capitals_word(text: str) -> bool:
    return len(text) >= MIN_CAPITALS_WORD_LETTERS and text.isalpha() and text.isupper()
