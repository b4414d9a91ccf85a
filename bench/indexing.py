"""Indexing throughput and search latency: ``python -m bench.indexing --docs 20000``.

1. The indexer (Kafka -> decode/validate -> document -> bulk, commits included) over N events, against a
   plain ``helpers.bulk`` of the same documents into a fresh index in the same run (the ratio is the
   cost of the consumer, validation and offset bookkeeping over the raw bulk path).
2. Search latency p50/p95: a full-text query with every facet, over the N indexed documents,
   ``--queries`` queries after a warm-up.
Results go to ``docs/benchmarks.md``, section "Indexing and search" (other sections are left alone).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import re
import statistics
import time
import uuid
from datetime import UTC, datetime, timedelta

from confluent_kafka import Producer
from confluent_kafka.admin import AdminClient, NewTopic
from elasticsearch import Elasticsearch, helpers

from indexing import indexer, templates
from indexing.bulk import BULK_REQUEST_TIMEOUT_S
from indexing.documents import to_index_document
from indexing.search import SearchRequest, build_query
from schemas.article import ArticleEvent, Entity, Source
from schemas.settings import REPO_ROOT, Settings, get_settings

CORPUS = REPO_ROOT.parent / "shared" / "corpus" / "pages.json"
RESULTS = REPO_ROOT / "docs" / "benchmarks.md"
SECTION = "## Indexing and search"
BENCH_PARTITIONS = 6  # as the production topic (settings.articles_partitions)
WARMUP_QUERIES = 20
# ~80 corpus snippets of ~42 characters: a ~3.4 KB, ~500-word article, a typical news text length.
SNIPPETS_PER_TEXT = 80
QUERY_WORDS = ["stadt", "projekt", "government", "la", "der", "music", "police", "news", "école", "data"]
PERSONS = ["Angela Merkel", "Emmanuel Macron", "Olaf Scholz", "Joe Biden", "Ursula von der Leyen"]
ORGS = ["European Union", "Bundestag", "United Nations", "Siemens", "NATO", "Google"]
PLACES = ["Berlin", "Paris", "London", "Hamburg", "New York", "Lyon"]


def make_events(n: int, seed: int = 7) -> list[ArticleEvent]:
    """N multilingual events whose texts are stitched from the corpus' real text snippets."""
    rng = random.Random(seed)
    snippets = [s for page in json.loads(CORPUS.read_text("utf-8")) for s in page.get("with", [])]
    base = datetime(2023, 1, 1, tzinfo=UTC)
    events = []
    for i in range(n):
        text = " ".join(rng.choices(snippets, k=SNIPPETS_PER_TEXT))
        domain = f"site{i % 40}.test"
        entities = [
            Entity(text=p, label="PERSON", mentions=rng.randint(1, 5)) for p in rng.sample(PERSONS, 2)
        ]
        entities += [Entity(text=o, label="ORG", mentions=1) for o in rng.sample(ORGS, 2)]
        entities += [Entity(text=g, label="GPE", mentions=1) for g in rng.sample(PLACES, 2)]
        events.append(
            ArticleEvent(
                id=hashlib.md5(f"bench-{i}".encode()).hexdigest(),
                revision=1,
                url=f"https://{domain}/a/{i}",
                canonical_url=f"https://{domain}/a/{i}",
                source=Source(domain=domain, name=f"Site {i % 40}"),
                title=" ".join(rng.choices(snippets, k=2)),
                authors=[f"Author {i % 97}"],
                published_at=base + timedelta(hours=i),
                language=rng.choice(["de", "en", "fr", "it"]),
                text=text,
                description=" ".join(rng.choices(snippets, k=4)),
                entities=entities,
                word_count=len(text.split()),
                content_hash=hashlib.sha256(text.encode()).hexdigest(),
                simhash=hashlib.sha256(text.encode()).hexdigest()[:16],
                fetched_at=base + timedelta(hours=i, minutes=5),
            )
        )
    return events


def produce(settings: Settings, events: list[ArticleEvent]) -> None:
    producer = Producer({"bootstrap.servers": settings.kafka_bootstrap, "linger.ms": 20})
    for event in events:
        while True:
            try:
                producer.produce(settings.articles_topic, key=event.id, value=event.model_dump_json())
                break
            except BufferError:
                producer.poll(0.1)
        producer.poll(0)
    if producer.flush(120):
        raise RuntimeError("events not delivered to Kafka")


def plain_bulk(es: Elasticsearch, alias: str, events: list[ArticleEvent], settings: Settings) -> float:
    """Seconds for ``helpers.bulk`` of the same documents, same batch bounds and versioning."""
    templates.ensure_index(es, alias)
    documents = [to_index_document(event) for event in events]  # outside the timing: the same work as
    started = time.perf_counter()  # the indexer's conversion is not what this baseline measures
    ok, errors = helpers.bulk(
        es.options(request_timeout=BULK_REQUEST_TIMEOUT_S),
        (
            {
                "_index": alias,
                "_id": d["id"],
                "version": d["revision"],
                "version_type": "external",
                "_source": d,
            }
            for d in documents
        ),
        chunk_size=settings.indexer_batch_docs,
        max_chunk_bytes=settings.indexer_batch_bytes,
        raise_on_error=False,
    )
    elapsed = time.perf_counter() - started
    if ok != len(events) or errors:
        raise RuntimeError(f"plain bulk: {ok} ok, {len(errors)} errors")
    return elapsed


def search_latency(es: Elasticsearch, alias: str, queries: int) -> tuple[float, float, float]:
    """p50, p95 (client wall time) and the median of ES' own ``took``, in ms."""
    rng = random.Random(3)
    walls, tooks = [], []
    for i in range(WARMUP_QUERIES + queries):
        body = build_query(SearchRequest(query=rng.choice(QUERY_WORDS), facets=True))
        started = time.perf_counter()
        response = es.search(index=alias, body=body)
        if i >= WARMUP_QUERIES:
            walls.append((time.perf_counter() - started) * 1000)
            tooks.append(response["took"])
    quantiles = statistics.quantiles(walls, n=100)
    return quantiles[49], quantiles[94], statistics.median(tooks)


def write_section(text: str) -> None:
    """Replace (or append) only this benchmark's section of docs/benchmarks.md."""
    current = RESULTS.read_text("utf-8") if RESULTS.exists() else "# Benchmarks\n"
    pattern = re.compile(rf"^{re.escape(SECTION)}\n.*?(?=^## |\Z)", re.S | re.M)
    if pattern.search(current):
        updated = pattern.sub(lambda _: text, current)
    else:
        updated = current.rstrip("\n") + "\n\n" + text
    RESULTS.write_text(updated, "utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=20_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--no-write", action="store_true", help="print only, leave docs/benchmarks.md")
    args = parser.parse_args()

    base = get_settings()
    run = uuid.uuid4().hex[:8]
    settings = base.model_copy(
        update={
            "articles_topic": f"bench-articles-{run}",
            "index_dlq_topic": f"bench-index-dlq-{run}",
            "index_alias": f"bench-articles-{run}",
            "indexer_group": f"bench-indexer-{run}",
        }
    )
    plain_alias = f"bench-plain-{run}"
    es = Elasticsearch(settings.es_url)
    admin = AdminClient({"bootstrap.servers": settings.kafka_bootstrap})
    topics = [
        NewTopic(settings.articles_topic, BENCH_PARTITIONS, 1),
        NewTopic(settings.index_dlq_topic, 1, 1),
    ]
    for future in admin.create_topics(topics).values():
        future.result()
    try:
        events = make_events(args.docs)
        produce(settings, events)
        mb = sum(len(e.model_dump_json()) for e in events) / 1e6
        print(f"{args.docs} events ({mb:.0f} MB) in {settings.articles_topic}")

        report = indexer.run_until_caught_up(settings)
        assert report.indexed == args.docs, report
        indexer_rate = report.indexed / report.elapsed_s
        print(f"indexer: {report.indexed} docs in {report.elapsed_s:.1f} s = {indexer_rate:.0f} docs/s")

        plain_s = plain_bulk(es, plain_alias, events, settings)
        plain_rate = args.docs / plain_s
        print(f"helpers.bulk: {args.docs} docs in {plain_s:.1f} s = {plain_rate:.0f} docs/s")

        es.indices.refresh(index=settings.index_alias)
        es.indices.forcemerge(index=settings.index_alias, max_num_segments=1)
        p50, p95, took = search_latency(es, settings.index_alias, args.queries)
        print(f"search ({args.queries} queries, facets): p50 {p50:.1f} ms, p95 {p95:.1f} ms, took {took:.0f}")
    finally:
        for future in admin.delete_topics([t.topic for t in topics]).values():
            future.exception()
        for alias in (settings.index_alias, plain_alias):
            names = es.indices.get(index=f"{alias}-v*", allow_no_indices=True).body
            if names:
                es.indices.delete(index=",".join(names))
            es.options(ignore_status=404).indices.delete_index_template(name=templates.template_name(alias))

    section = f"""{SECTION}

`python -m bench.indexing --docs {args.docs}` ({datetime.now(UTC):%Y-%m-%d}, the shared 2-core dev machine,
1-min load average {os.getloadavg()[0]:.1f} at the end: other work ran alongside, so absolute numbers
are noisy; the ratio is the figure to compare), single-node Elasticsearch 8.19 of the local stack,
Kafka topic with {BENCH_PARTITIONS} partitions).
Documents: {args.docs} multilingual articles stitched from the corpus' text snippets (~3.4 KB of text,
{mb / args.docs * 1000:.1f} KB per event), each text field analysed 4x (standard + english/french/german).
Batches: {settings.indexer_batch_docs} docs / {settings.indexer_batch_bytes / 1e6:.0f} MB / \
{settings.indexer_linger_ms} ms linger.

| path | docs/s |
|---|---|
| indexer (`run_until_caught_up`: consume, validate, convert, bulk, DLQ, commit) | {indexer_rate:.0f} |
| plain `helpers.bulk` of the same documents (pre-converted, same batch bounds) | {plain_rate:.0f} |
| ratio indexer / plain | {indexer_rate / plain_rate:.2f} |

Search over {args.docs} documents, full-text `simple_query_string` over all language sub-fields + phrase
boost, highlights, and every facet (6 terms aggregations + the monthly date histogram), {args.queries}
queries after {WARMUP_QUERIES} warm-up, index force-merged to 1 segment, client wall time:
p50 **{p50:.1f} ms**, p95 **{p95:.1f} ms** (median ES `took` {took:.0f} ms).

Re-run after changing the mapping (`schemas/articles_index.v1.json`), the batch settings or the query.
"""
    if not args.no_write:
        write_section(section)
        print(f"written to {RESULTS}")


if __name__ == "__main__":
    main()
