"""Fine-tuning the English NER on the hand-labelled articles: gold entities projected onto spans, training.

Tooling for ``bench.ner_folds`` (cross-validation by split; docs/enrichment-log.md, "Session 11"): the
fine-tuned model did not beat the base model under the pipeline's rules, so nothing ships it.

The labels (``tests/ingest/labels``) are entity-level: per article, each distinct entity once, with its
canonical name and aliases. ``gold_spans`` projects them onto the text: every occurrence of a name, an alias
or a person's surname at token boundaries, case as written, longest name first, no overlaps. The labels hold
name types only, so the base model's own numeric spans (DATE, CARDINAL, MONEY, ...) are kept where no gold
name lies (``training_spans``): the fine-tuned model must not unlearn them (the date extractor reads its DATE
spans). Every other token is outside any entity, so the base model's false names are taught away.

``python -m bench.ner_training --output DIR`` trains on all three development splits. Only articles that
store their text are used (the first 13 English ones are read from ``../shared/corpus`` by the bench, which
a fresh clone may not have), and the blind held-out-4 file (``entities_heldout4.json``) is never read.
The session-11 figures were trained on tuned, held-out and held-out-2; held-out-3 (development data since
session 13) is not in ``TRAINING_FILES``, so that those figures stay reproducible.
"""

from __future__ import annotations

import argparse
import json
import logging
import random
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.training import Example
from spacy.util import fix_random_seed, minibatch

from bench.entity_quality import BLIND_SPLITS, LABELS, LABELS_HELD_OUT_2, LABELS_HELD_OUT_4
from ingest.entities import NER_MODELS, NON_NER_PIPES, cap_text, title_case_datelines

log = logging.getLogger(__name__)

TRAINING_FILES = (LABELS, LABELS_HELD_OUT_2)
"""The development splits of session 11 (tuned, held-out, held-out-2); never the blind
``entities_heldout4.json``."""
BASE_MODEL = NER_MODELS["en"]
NAME_LABELS = frozenset(
    {"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT", "PRODUCT", "WORK_OF_ART", "LAW", "LANGUAGE"}
)
"""The labels the hand labels cover: a base-model span of one of these that is no gold name is taught away."""

SEED = 0
EPOCHS = 10
LEARN_RATE = 0.001
DROPOUT = 0.3
BATCH_SIZE = 8
"""Training settings: spaCy's default Adam rate, few epochs and dropout against overfitting ~80 short
articles; 3 to 30 epochs, rates 0.0005 to 0.002 and dropout 0.2 to 0.3 were tried in ``bench.ner_folds``
(docs/enrichment-log.md, "Session 11"): none beat the base model under the rules."""


@dataclass(frozen=True)
class LabelledText:
    text: str
    entities: tuple[dict, ...]  # {"text", "label", "aliases"?}, as in the label files
    split: str


def _apostrophes(name: str) -> set[str]:
    return {name, name.replace("’", "'"), name.replace("'", "’")}


def _names(entity: dict) -> list[str]:
    """An entity's name, its aliases, and for a person the surname of each (a lone "Godongwana" after
    "Enoch Godongwana" is the same person; the labels list the surname as an alias only sometimes)."""
    names = [entity["text"], *entity.get("aliases", ())]
    if entity["label"] == "PERSON":
        names += [
            name.split()[-1] for name in names if len(name.split()) > 1 and name.split()[-1][:1].isupper()
        ]
    return names


def gold_spans(doc: Doc, entities: Iterable[dict]) -> list[tuple[int, int, str]]:
    """Token spans ``(start, end, label)`` of every occurrence of each entity's name, alias or (a person's)
    surname in ``doc``: case as written (either apostrophe), starting and ending at token boundaries ("Biden"
    in "Biden's"), longest name first, never overlapping an earlier span; in text order."""
    names: list[tuple[str, str]] = []
    for entity in entities:
        for name in _names(entity):
            names.extend((form, entity["label"]) for form in _apostrophes(name.strip()) if form)
    names.sort(key=lambda pair: -len(pair[0]))
    starts = {token.idx: token.i for token in doc}
    ends = {token.idx + len(token.text): token.i + 1 for token in doc}
    taken = [False] * len(doc)
    spans = []
    text = doc.text
    for name, label in names:
        at = text.find(name)
        while at >= 0:
            start, end = starts.get(at), ends.get(at + len(name))
            if start is not None and end is not None and not any(taken[start:end]):
                taken[start:end] = [True] * (end - start)
                spans.append((start, end, label))
            at = text.find(name, at + 1)
    return sorted(spans)


def training_spans(
    gold: Sequence[tuple[int, int, str]], base: Sequence[tuple[int, int, str]]
) -> list[tuple[int, int, str]]:
    """The gold spans plus the base model's spans of the types the labels do not cover (DATE, MONEY, ...)
    that overlap no gold span, in token order."""
    taken = {i for start, end, _ in gold for i in range(start, end)}
    kept = [
        (start, end, label)
        for start, end, label in base
        if label not in NAME_LABELS and not any(i in taken for i in range(start, end))
    ]
    return sorted([*gold, *kept])


def load_labelled(files: Sequence[Path] = TRAINING_FILES) -> list[LabelledText]:
    """The English articles of the label files that store their text; a blind split's file is refused."""
    found = []
    for path in files:
        articles = json.loads(path.read_text(encoding="utf-8"))["articles"]
        if path.name == LABELS_HELD_OUT_4.name or any(a.get("split") in BLIND_SPLITS for a in articles):
            raise ValueError(f"{path.name} holds a blind split: never trained on")
        for article in articles:
            if article["language"] == "en" and "text" in article:
                found.append(
                    LabelledText(article["text"], tuple(article["entities"]), article.get("split", "tuned"))
                )
    return found


def model_input(text: str) -> str:
    """The text as ``EntityRecognizer`` gives it to the model."""
    return title_case_datelines(cap_text(text))


def examples(
    nlp: Language, articles: Sequence[LabelledText], unmatched_missing: bool = False
) -> list[Example]:
    """One training example per article: gold names plus the base model's numeric spans. A base-model name
    span that overlaps no gold name is taught as no entity, unless its words are all words of a gold name
    ("Department" of a gold "Department of Energy"; a first name alone): then it is left unknown, as every
    such span is with ``unmatched_missing``."""
    texts = [model_input(article.text) for article in articles]
    found = []
    for article, predicted in zip(articles, nlp.pipe(texts), strict=True):
        reference = nlp.make_doc(predicted.text)
        base = [(e.start, e.end, e.label_) for e in predicted.ents]
        gold = gold_spans(reference, article.entities)
        spans = training_spans(gold, base)
        taken = {i for start, end, _ in spans for i in range(start, end)}
        gold_words = {word for entity in article.entities for name in _names(entity) for word in name.split()}
        missing = [
            Span(reference, start, end)
            for start, end, label in base
            if label in NAME_LABELS
            and not any(i in taken for i in range(start, end))
            and (unmatched_missing or all(t.text in gold_words for t in reference[start:end] if t.is_alpha))
        ]
        reference.set_ents(
            [Span(reference, start, end, label=label) for start, end, label in spans],
            missing=missing,
            default="outside",
        )
        found.append(Example(nlp.make_doc(predicted.text), reference))
    return found


def silver_examples(nlp: Language, texts: Sequence[str]) -> list[Example]:
    """The base model's own entities on ``texts`` as training examples (rehearsal)."""
    found = []
    for predicted in nlp.pipe(model_input(text) for text in texts):
        reference = nlp.make_doc(predicted.text)
        reference.ents = [Span(reference, e.start, e.end, label=e.label_) for e in predicted.ents]
        found.append(Example(nlp.make_doc(predicted.text), reference))
    return found


def train(
    articles: Sequence[LabelledText],
    output: Path,
    *,
    base: str = BASE_MODEL,
    epochs: int = EPOCHS,
    learn_rate: float = LEARN_RATE,
    dropout: float = DROPOUT,
    seed: int = SEED,
    unmatched_missing: bool = False,
    rehearsal: Sequence[str] = (),
) -> Path:
    """Fine-tune ``base``'s ``ner`` on ``articles`` and save the pipeline to ``output``. ``rehearsal``: other
    texts, labelled by the base model itself, trained on beside them against forgetting."""
    fix_random_seed(seed)
    nlp = spacy.load(base, exclude=list(NON_NER_PIPES))
    data = examples(nlp, articles, unmatched_missing) + silver_examples(nlp, rehearsal)
    optimizer = nlp.resume_training()
    optimizer.learn_rate = learn_rate
    order = random.Random(seed)
    for epoch in range(epochs):
        order.shuffle(data)
        losses: dict[str, float] = {}
        for batch in minibatch(data, size=BATCH_SIZE):
            nlp.update(batch, sgd=optimizer, drop=dropout, losses=losses)
        log.info("epoch %d: ner loss %.1f", epoch + 1, losses.get("ner", 0.0))
    output.mkdir(parents=True, exist_ok=True)
    nlp.to_disk(output)
    return output


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, required=True, help="model directory")
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    output = args.output
    started = time.perf_counter()
    articles = load_labelled()
    train(articles, output)
    log.info("trained on %d articles into %s in %.0f s", len(articles), output, time.perf_counter() - started)


if __name__ == "__main__":
    main()
