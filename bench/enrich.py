"""Enrichment speed: our NER path and the whole Enricher vs plain ``nlp.pipe``, same texts, same run.

Run: ``.venv/bin/python -m bench.enrich [--words 60000] [--rounds 3]``. Texts: the corpus' English
pages through plain ``trafilatura.extract``. Variants run interleaved, ``--rounds`` times each, and
the best round counts. Rates are per CPU second of this process (``time.process_time``): on a shared
machine, wall time mostly measures the other tenants.
"""

from __future__ import annotations

import argparse
import gzip
import json
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import spacy
import trafilatura

from ingest.enrich import Enricher, EnrichInput
from ingest.entities import NER_BATCH_SIZE, NER_MODELS, NON_NER_PIPES, EntityRecognizer
from ingest.language import detect_language

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"


def corpus_texts(language: str, max_words: int) -> list[str]:
    """Extracted texts of one language, in corpus order, up to about ``max_words`` words."""
    texts: list[str] = []
    words = 0
    for page in json.loads((CORPUS / "pages.json").read_text(encoding="utf-8")):
        html = gzip.decompress((CORPUS / page["file"]).read_bytes())
        text = trafilatura.extract(html, url=page["url"])
        if text and detect_language(text) == language:
            texts.append(text)
            words += len(text.split())
            if words >= max_words:
                break
    return texts


def best_rate(run: Callable[[], object], units: int, rounds: int) -> float:
    best = 0.0
    for _ in range(rounds):
        start = time.process_time()
        run()
        best = max(best, units / (time.process_time() - start))
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--words", type=int, default=60_000, help="English words to process per round")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()

    texts = corpus_texts("en", args.words)
    words = sum(len(t.split()) for t in texts)
    full = spacy.load(NER_MODELS["en"])
    ner_only = spacy.load(NER_MODELS["en"], exclude=list(NON_NER_PIPES))
    recognizer = EntityRecognizer()
    recognizer.model("en")
    enricher = Enricher()
    published = datetime(2024, 3, 13, tzinfo=UTC)
    docs = [EnrichInput(text, published) for text in texts]
    enricher.enrich_batch(docs[:2])  # load models, warm caches

    variants: dict[str, Callable[[], object]] = {
        "plain nlp.pipe, full pipeline": lambda: [d.ents for d in full.pipe(texts)],
        "plain nlp.pipe, NER only": lambda: [d.ents for d in ner_only.pipe(texts, batch_size=NER_BATCH_SIZE)],
        "EntityRecognizer.recognise_batch": lambda: recognizer.recognise_batch(texts, ["en"] * len(texts)),
        "Enricher.enrich_batch (all fields)": lambda: enricher.enrich_batch(docs),
    }
    rates = {name: 0.0 for name in variants}
    for _ in range(args.rounds):  # interleaved, so that load changes hit every variant alike
        for name, run in variants.items():
            rates[name] = max(rates[name], best_rate(run, words, 1))

    baseline = rates["plain nlp.pipe, full pipeline"]
    ner_baseline = rates["plain nlp.pipe, NER only"]
    print(f"{len(texts)} English texts, {words} words, best of {args.rounds} rounds, one process")
    print("| variant | words per CPU s | vs plain full pipeline | vs plain NER-only pipe |")
    print("|---|---|---|---|")
    for name, rate in rates.items():
        print(f"| {name} | {rate:,.0f} | {rate / baseline:.2f} | {rate / ner_baseline:.2f} |")


if __name__ == "__main__":
    main()
