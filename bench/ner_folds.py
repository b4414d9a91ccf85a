"""Cross-validation of the fine-tuned English NER by split: train on two development splits, measure the
whole pipeline's final F1 (name + label, as ``bench.entity_quality``) on the third, base model vs fine-tuned.

Run: ``python -m bench.ner_folds [--epochs N --learn-rate X --dropout X --rehearsal N] [--stages]`` (raw and
merged outputs are shown beside the final one; results in docs/enrichment-log.md). Only the development
splits are read (``entities.json``, ``entities_heldout2.json``): never the blind held-out-3. ``--stages``
also scores the fine-tuned model with each rule stage of ``ingest.enrich`` switched off (does a rule that
patched the base model's errors now hurt?). The difference's 90 % interval is a paired bootstrap over the
left-out split's articles.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import random
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from unittest import mock

import trafilatura

from bench import ner_training
from bench.entity_quality import (
    CORPUS,
    LABEL_FILES,
    LABELS,
    LABELS_HELD_OUT_2,
    Counts,
    Tally,
    _texts,
    load_articles,
    predictions,
    score_article,
    split_of,
)
from ingest.decode import decode_html
from ingest.entities import NER_MODELS
from ingest.language import detect_language

FOLDS = ("tuned", "held-out", "held-out-2")
BOOTSTRAP_ROUNDS = 2000
"""Resamples of the left-out articles for the difference's interval (2,000: the 5th/95th percentiles move by
less than 0.002 between runs)."""


def _identity_mentions(text, mentions, *args, **kwargs):
    return mentions


def _identity_last(gazetteer, mentions, *args, **kwargs):
    return mentions


STAGES: dict[str, tuple[str, Callable]] = {
    "no known_names": ("ingest.enrich.known_name_mentions", _identity_mentions),
    "no drop_common_words": ("ingest.enrich.drop_common_words", lambda g, found, text: found),
    "no normalise_spans": ("ingest.enrich.normalise_spans", _identity_last),
    "no label_rules": ("ingest.enrich.correct_mention_labels", _identity_last),
}
"""Rule stages of ``Enricher._entities`` that can be switched off one at a time (merge and linking stay)."""


@contextmanager
def _without(stage: str | None) -> Iterator[None]:
    if stage is None:
        yield
        return
    target, replacement = STAGES[stage]
    with mock.patch(target, replacement):
        yield


def per_article(
    articles: list[dict], texts: list[str], model: str, stage: str | None = None, kind: str = "final"
) -> list[Counts]:
    """One output's (``final`` unless told: ``raw``, ``merged``) name + label counts per article."""
    with _without(stage):
        outputs = predictions(articles, texts, {**NER_MODELS, "en": model})
    return counts_of(articles, outputs[kind])


def counts_of(articles: list[dict], outputs: list) -> list[Counts]:
    found = []
    for article, predicted in zip(articles, outputs, strict=True):
        tally = Tally()
        score_article(tally, article, predicted)
        found.append(tally.strict)
    return found


def f1(counts: list[Counts]) -> float:
    total = Counts(sum(c.tp for c in counts), sum(c.fp for c in counts), sum(c.fn for c in counts))
    return total.f1_row()[2]


def bootstrap(base: list[Counts], tuned: list[Counts], seed: int = 0) -> tuple[float, float]:
    """5th and 95th percentiles of F1(tuned) - F1(base) over articles resampled with replacement."""
    rng = random.Random(seed)
    diffs = []
    for _ in range(BOOTSTRAP_ROUNDS):
        pick = [rng.randrange(len(base)) for _ in base]
        diffs.append(f1([tuned[i] for i in pick]) - f1([base[i] for i in pick]))
    diffs.sort()
    return diffs[int(0.05 * len(diffs))], diffs[int(0.95 * len(diffs))]


REHEARSAL_WORDS = 200
"""Words of a rehearsal text (whole paragraphs, the last one may run over), as the labelled texts' ~200
words, so one page weighs like one article."""


def rehearsal_texts(count: int) -> list[str]:
    """The first ``count`` English corpus pages (by descending MD5 of their URL, away from the labelling
    order) that no label file uses, their first paragraphs up to ``REHEARSAL_WORDS``. The label files' URLs
    (the blind split's included) are read only to leave their pages out."""
    used = {a.get("url") for path in LABEL_FILES if path.exists() for a in load_articles((path,))}
    pages = json.loads((CORPUS / "pages.json").read_text(encoding="utf-8"))
    pages = sorted(pages, key=lambda page: hashlib.md5(page["url"].encode()).hexdigest(), reverse=True)
    found = []
    for page in pages:
        if page["url"] in used:
            continue
        html = gzip.decompress((CORPUS / page["file"]).read_bytes())
        text = trafilatura.extract(decode_html(html, None), url=page["url"]) or ""
        if len(text.split()) >= REHEARSAL_WORDS and detect_language(text) == "en":
            kept: list[str] = []
            for paragraph in text.split("\n"):
                kept.append(paragraph)
                if len(" ".join(kept).split()) >= REHEARSAL_WORDS:
                    break
            found.append("\n\n".join(kept))
        if len(found) == count:
            break
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=ner_training.EPOCHS)
    parser.add_argument("--learn-rate", type=float, default=ner_training.LEARN_RATE)
    parser.add_argument("--dropout", type=float, default=ner_training.DROPOUT)
    parser.add_argument("--unmatched-missing", action="store_true", help="base names no gold name: unknown")
    parser.add_argument(
        "--rehearsal", type=int, default=0, help="corpus texts with base labels, trained beside"
    )
    parser.add_argument("--stages", action="store_true", help="also switch each rule stage off")
    parser.add_argument("--folds", nargs="*", default=FOLDS, choices=FOLDS)
    args = parser.parse_args()
    articles = load_articles((LABELS, LABELS_HELD_OUT_2))
    texts = _texts(articles)
    english = [i for i, a in enumerate(articles) if a["language"] == "en"]
    base_outputs = predictions(articles, texts, NER_MODELS)
    base = counts_of(articles, base_outputs["final"])
    base_raw = counts_of(articles, base_outputs["raw"])
    base_merged = counts_of(articles, base_outputs["merged"])
    labelled = ner_training.load_labelled()
    rehearsal = rehearsal_texts(args.rehearsal) if args.rehearsal else []
    print(f"{vars(args)}\n")
    print(
        "| left out | gold | raw F1 base / tuned (90 % interval of the difference) | merged F1 base / tuned "
        "| base final F1 | fine-tuned final F1 | difference (90 % interval) | train s |"
    )
    print("|---|---|---|---|---|---|---|---|")
    stage_rows = []
    for fold in args.folds:
        fold_idx = [i for i in english if split_of(articles[i]) == fold]
        train_on = [a for a in labelled if a.split != fold]
        with tempfile.TemporaryDirectory() as tmp:
            started = time.perf_counter()
            model = ner_training.train(
                train_on,
                Path(tmp) / "ner-en",
                epochs=args.epochs,
                learn_rate=args.learn_rate,
                dropout=args.dropout,
                unmatched_missing=args.unmatched_missing,
                rehearsal=rehearsal,
            )
            seconds = time.perf_counter() - started
            outputs = predictions(articles, texts, {**NER_MODELS, "en": str(model)})
            tuned, tuned_raw = counts_of(articles, outputs["final"]), counts_of(articles, outputs["raw"])
            tuned_merged = counts_of(articles, outputs["merged"])
            merged_b = f1([base_merged[i] for i in fold_idx])
            merged_t = f1([tuned_merged[i] for i in fold_idx])
            b, t = [base[i] for i in fold_idx], [tuned[i] for i in fold_idx]
            raw_b, raw_t = f1([base_raw[i] for i in fold_idx]), f1([tuned_raw[i] for i in fold_idx])
            raw_low, raw_high = bootstrap([base_raw[i] for i in fold_idx], [tuned_raw[i] for i in fold_idx])
            low, high = bootstrap(b, t)
            gold = sum(c.tp + c.fn for c in b)
            print(
                f"| {fold} | {gold} | {raw_b:.3f} / {raw_t:.3f} ({raw_low:+.3f} to {raw_high:+.3f}) "
                f"| {merged_b:.3f} / {merged_t:.3f} "
                f"| {f1(b):.3f} | {f1(t):.3f} "
                f"| {f1(t) - f1(b):+.3f} ({low:+.3f} to "
                f"{high:+.3f}) | {seconds:.0f} |",
                flush=True,
            )
            if args.stages:
                for stage in STAGES:
                    off = per_article(articles, texts, str(model), stage)
                    off_base = per_article(articles, texts, NER_MODELS["en"], stage)
                    stage_rows.append(
                        f"| {fold} | {stage} | {f1([off_base[i] for i in fold_idx]):.3f} | "
                        f"{f1([off[i] for i in fold_idx]):.3f} |"
                    )
    if stage_rows:
        print("\n| left out | rule stage | base final F1 | fine-tuned final F1 |")
        print("|---|---|---|---|")
        print(*stage_rows, sep="\n")


if __name__ == "__main__":
    main()
