"""CPU per article of the ingest core, for comparing two checkouts in the same session.

Runs ``ArticleBuilder.build_batch`` (decode, extract, enrich: NER, merge, and in newer checkouts entity
linking, places and the id registry) and ``Enricher.enrich_batch`` alone over the first N corpus pages, in
one process, after a warm-up pass, and prints CPU seconds per page (process time: the machine is shared, so
wall time mostly measures the other tenants). It only uses APIs every checkout has, so the baseline is the
same file run against the other code::

    PYTHONPATH=/work/main  .venv/bin/python bench/entity_cost.py --limit 300   # baseline
    PYTHONPATH=<worktree>  .venv/bin/python bench/entity_cost.py --limit 300   # this branch

Alternate the two (``--rounds``) and compare the best round of each. Set NEWSFLOW_DATA_DIR to a scratch
directory: the id registry (SQLite) is written there.

On a checkout with entity linking it also times, in the same rounds, what linking adds to the core: place
matching for languages without a model, label corrections, place resolution and the registry, on the
same texts. On this shared machine the CPU cost of the same work drifts by +-30 % with the load between
two processes minutes apart; the share of the linking stages measured within one process does not.
"""

from __future__ import annotations

import argparse
import json
import time

from bench.core import _load_pages
from ingest.core import ArticleBuilder
from ingest.decode import decode_html
from ingest.enrich import Enricher, EnrichInput
from ingest.extract import Extracted, extract_article
from ingest.identity import source_domain

try:
    from ingest.entities import EntityRecognizer, cap_text
    from ingest.entity_linking import link_entities
    from ingest.entity_merge import merge_mentions
    from ingest.entity_registry import EntityRegistry
    from ingest.gazetteer import get_gazetteer
    from ingest.language import detect_language
    from ingest.place_matcher import match_places
except ImportError:  # a checkout without entity linking: only the totals are measured
    link_entities = None
try:
    from ingest.label_rules import correct_mention_labels
except ImportError:  # a checkout before the mention rules
    correct_mention_labels = None
try:
    from ingest.mention_spans import normalise_spans
except ImportError:  # a checkout before the place spans (session 7)
    normalise_spans = None
try:
    from ingest.known_names import known_name_mentions
except ImportError:  # a checkout before the known-name mentions (session 10)
    known_name_mentions = None

WARMUP_PAGES = 48
"""Pages built before timing: loads every model (and the gazetteer) and warms the extraction caches."""


def linking_seconds(texts: list[str]) -> float:
    """CPU seconds of what linking adds to the enrichment of ``texts``: place matching (and merging its
    mentions) for languages without a model, the mention rules (``normalise_spans``,
    ``correct_mention_labels``), ``link_entities`` and the registry. NER and the merge of model
    mentions, which the core did before, run outside the timer."""
    languages = [detect_language(text) for text in texts]
    recognizer = EntityRecognizer()
    ner = recognizer.recognise_batch(texts, languages)
    gazetteer, registry = get_gazetteer(), EntityRegistry(None)
    modelled = {i: merge_mentions(r.mentions) for i, r in enumerate(ner) if recognizer.supports(languages[i])}
    start = time.process_time()
    if correct_mention_labels is not None:  # the mention rules (checkouts after issue 15's quality work)
        for i in modelled:
            mentions = ner[i].mentions
            if normalise_spans is not None:
                mentions = normalise_spans(gazetteer, mentions)
            correct_mention_labels(gazetteer, mentions)
    merged = [
        modelled[i] if i in modelled else merge_mentions(match_places(gazetteer, cap_text(text)))
        for i, text in enumerate(texts)
    ]
    registry.identify([link_entities(gazetteer, entities, None) for entities in merged])
    return time.process_time() - start


def known_names_seconds(inputs: list[EnrichInput]) -> float:
    """CPU seconds of ``known_name_mentions`` (session 10: table names, own outlet, quoted titles, streets,
    headed names, countries found in the text) over the texts with a NER model, NER outside the timer."""
    languages = [detect_language(i.text) for i in inputs]
    recognizer = EntityRecognizer()
    ner = recognizer.recognise_batch([i.text for i in inputs], languages)
    gazetteer = get_gazetteer()
    start = time.process_time()
    for doc, language, result in zip(inputs, languages, ner, strict=True):
        if recognizer.supports(language):
            known_name_mentions(cap_text(doc.text), result.mentions, doc.source_domain, gazetteer)
    return time.process_time() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=300, help="the first N corpus pages")
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    pages = _load_pages(args.limit)
    builder = ArticleBuilder()
    builder.build_batch(pages[:WARMUP_PAGES])
    extracted = [extract_article(decode_html(p.body, p.content_type), p.url) for p in pages]
    inputs = [
        EnrichInput(a.text, a.published_at, a.language, source_domain(p.url))
        for p, a in zip(pages, extracted, strict=True)
        if isinstance(a, Extracted)
    ]
    enricher = Enricher()
    enricher.enrich_batch(inputs[:WARMUP_PAGES])
    core, enrich, linking, known = [], [], [], []
    for _ in range(args.rounds):
        start = time.process_time()
        builder.build_batch(pages)
        core.append((time.process_time() - start) / len(pages))
        start = time.process_time()
        enricher.enrich_batch(inputs)
        enrich.append((time.process_time() - start) / len(inputs))
        if link_entities is not None:
            linking.append(linking_seconds([i.text for i in inputs]) / len(pages))
        if known_name_mentions is not None:
            known.append(known_names_seconds(inputs) / len(inputs))
    print(
        json.dumps(
            {
                "pages": len(pages),
                "texts": len(inputs),
                "core_cpu_ms_per_page": [round(1000 * s, 2) for s in core],
                "enrich_cpu_ms_per_text": [round(1000 * s, 2) for s in enrich],
                "linking_cpu_ms_per_page": [round(1000 * s, 2) for s in linking],
                "core_with_linking_vs_without": [
                    round(c / (c - s), 3) for c, s in zip(core, linking, strict=True)
                ],
                "known_names_cpu_ms_per_text": [round(1000 * s, 3) for s in known],
                "known_names_share_of_enrich": [round(k / e, 4) for k, e in zip(known, enrich, strict=False)],
            }
        )
    )


if __name__ == "__main__":
    main()
