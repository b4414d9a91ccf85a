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
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from confluent_kafka import Producer
from confluent_kafka.admin import AdminClient, NewTopic
from elasticsearch import Elasticsearch, helpers

from bench.names import BenchNames, cleanup
from indexing import indexer, templates
from indexing.bulk import BULK_REQUEST_TIMEOUT_S
from indexing.documents import to_index_document
from indexing.search import SearchRequest, build_query, parse_response, search
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


@dataclass(frozen=True)
class ScaleLatency:
    shape: str
    path: str
    p50_ms: float
    p95_ms: float
    hits_p50: float


def search_at_scale(
    es: Elasticsearch, base: Settings, run: str, docs: int, queries: int
) -> list[ScaleLatency]:
    """``bench.search_scale``'s documents and query shapes, each query timed three ways, interleaved:
    ``indexing.search.search`` (the product: hits + facets side by side in one ``_msearch``), the same with
    the shard request cache emptied before each query (untimed), and the single ``_search`` body of
    ``build_query`` (what ``bench.search_scale`` times)."""
    from bench.search_scale import load, shapes  # bench.search_scale imports this module

    settings = BenchNames(run, "scale").settings(base)
    alias = settings.index_alias
    paths = {
        "search()": lambda request: search(es, alias, request),
        "search(), cache emptied": lambda request: search(es, alias, request),
        "single _search body": lambda request: parse_response(
            es.search(index=alias, body=build_query(request)).body
        ),
    }
    try:
        print(
            f"loaded {docs} docs at {load(es, alias, docs):.0f} docs/s; {queries} queries per shape and path"
        )
        rng = random.Random(3)
        walls: dict[tuple[str, str], list[float]] = {}
        totals: dict[tuple[str, str], list[int]] = {}
        for i in range(WARMUP_QUERIES + queries):
            for shape, request in shapes(rng).items():
                for path, run_query in paths.items():
                    if path == "search(), cache emptied":
                        es.indices.clear_cache(index=alias, request=True)
                    started = time.perf_counter()
                    result = run_query(request)
                    if i >= WARMUP_QUERIES:
                        walls.setdefault((shape, path), []).append((time.perf_counter() - started) * 1000)
                        totals.setdefault((shape, path), []).append(result.total)
        latencies = []
        for (shape, path), times in walls.items():
            q = statistics.quantiles(times, n=100)
            latencies.append(ScaleLatency(shape, path, q[49], q[94], statistics.median(totals[shape, path])))
            print(f"  {shape:36s} {path:28s} p50 {q[49]:6.1f} ms  p95 {q[94]:6.1f} ms")
        return latencies
    finally:
        cleanup(settings, es)


def scale_table(latencies: list[ScaleLatency], docs: int, queries: int) -> str:
    """The search-at-scale part of the section (empty when not measured)."""
    if not latencies:
        return ""
    rows = "\n".join(
        f"| {lat.shape} | {lat.path} | {lat.p50_ms:.1f} | {lat.p95_ms:.1f} | {lat.hits_p50:.0f} |"
        for lat in latencies
    )
    return f"""Search at scale (`--scale-docs {docs}`): `bench.search_scale`'s documents (2,000 distinct texts
replicated with their own ids, URLs, sources and dates over 4 years), not force-merged; {queries} queries
per shape and path after {WARMUP_QUERIES} warm-up, the three paths interleaved; client wall time in ms.

| shape | path | p50 | p95 | median hits |
|---|---|---:|---:|---:|
{rows}
"""


def write_section(text: str) -> None:
    """Replace (or append) only this benchmark's section of docs/benchmarks.md."""
    current = RESULTS.read_text("utf-8") if RESULTS.exists() else "# Benchmarks\n"
    pattern = re.compile(rf"^{re.escape(SECTION)}\n.*?(?=^## |\Z)", re.S | re.M)
    if pattern.search(current):
        updated = pattern.sub(lambda _: text.rstrip("\n") + "\n\n", current)
    else:
        updated = current.rstrip("\n") + "\n\n" + text
    RESULTS.write_text(updated, "utf-8")


@dataclass(frozen=True)
class Round:
    indexer_docs_per_s: float
    plain_docs_per_s: float

    @property
    def ratio(self) -> float:
        return self.indexer_docs_per_s / self.plain_docs_per_s


def compare_round(
    es: Elasticsearch, settings: Settings, plain_alias: str, events: list[ArticleEvent], indexer_first: bool
) -> Round:
    """The indexer over a fresh topic and index, and ``helpers.bulk`` of the same into another fresh
    index, in the given order (the first bulk of a run meets a colder node: rounds alternate it)."""
    admin = AdminClient({"bootstrap.servers": settings.kafka_bootstrap})
    topics = [
        NewTopic(settings.articles_topic, BENCH_PARTITIONS, 1),
        NewTopic(settings.index_dlq_topic, 1, 1),
    ]
    for future in admin.create_topics(topics).values():
        future.result()
    produce(settings, events)
    rates: dict[str, float] = {}
    for path in ("indexer", "plain") if indexer_first else ("plain", "indexer"):
        if path == "indexer":
            report = indexer.run_until_caught_up(settings)
            assert report.indexed == len(events), report
            rates[path] = report.indexed / report.elapsed_s
        else:
            rates[path] = len(events) / plain_bulk(es, plain_alias, events, settings)
        print(f"  {path}: {rates[path]:.0f} docs/s")
    return Round(rates["indexer"], rates["plain"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=20_000)
    parser.add_argument("--rounds", type=int, default=3, help="indexer/plain pairs, order alternating")
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--scale-docs", type=int, default=0, help="also search at scale over N docs")
    parser.add_argument("--no-write", action="store_true", help="print only, leave docs/benchmarks.md")
    args = parser.parse_args()

    base = get_settings()
    run = uuid.uuid4().hex[:8]
    es = Elasticsearch(base.es_url)
    events = make_events(args.docs)
    mb = sum(len(e.model_dump_json()) for e in events) / 1e6
    print(f"{args.docs} events ({mb:.0f} MB), {args.rounds} rounds")
    rounds: list[Round] = []
    for i in range(args.rounds):
        names = BenchNames(run, f"indexing{i}")
        settings = names.settings(base)
        plain = settings.model_copy(update={"index_alias": f"{names.prefix}-plain"})
        try:
            print(f"round {i + 1}:")
            rounds.append(compare_round(es, settings, plain.index_alias, events, indexer_first=i % 2 == 0))
            if i == args.rounds - 1:
                es.indices.refresh(index=settings.index_alias)
                es.indices.forcemerge(index=settings.index_alias, max_num_segments=1)
                p50, p95, took = search_latency(es, settings.index_alias, args.queries)
                print(f"search ({args.queries} queries, facets): p50 {p50:.1f} ms, p95 {p95:.1f} ms")
        finally:
            cleanup(settings, es)
            cleanup(plain, es)
    indexer_rate = statistics.median(r.indexer_docs_per_s for r in rounds)
    plain_rate = statistics.median(r.plain_docs_per_s for r in rounds)
    ratio = statistics.median(r.ratio for r in rounds)
    ratios = ", ".join(f"{r.ratio:.2f}" for r in rounds)
    print(f"median: indexer {indexer_rate:.0f}, plain {plain_rate:.0f} docs/s, ratio {ratio:.2f} ({ratios})")
    scale = search_at_scale(es, base, run, args.scale_docs, args.queries) if args.scale_docs else []

    section = f"""{SECTION}

`python -m bench.indexing --docs {args.docs}` ({datetime.now(UTC):%Y-%m-%d}, the shared 2-core dev machine,
1-min load average {os.getloadavg()[0]:.1f} at the end: other work ran alongside, so absolute numbers
are noisy; the ratio is the figure to compare), single-node Elasticsearch 8.19 of the local stack,
Kafka topic with {BENCH_PARTITIONS} partitions).
Documents: {args.docs} multilingual articles stitched from the corpus' text snippets (~3.4 KB of text,
{mb / args.docs * 1000:.1f} KB per event), each text field analysed 4x (standard + english/french/german).
Batches: {settings.indexer_batch_docs} docs / {settings.indexer_batch_bytes / 1e6:.0f} MB / \
{settings.indexer_linger_ms} ms linger.

| path (median of {args.rounds} rounds, order alternating) | docs/s |
|---|---|
| indexer (`run_until_caught_up`: consume, validate, convert, bulk, DLQ, commit) | {indexer_rate:.0f} |
| plain `helpers.bulk` of the same documents (pre-converted, same batch bounds) | {plain_rate:.0f} |
| ratio indexer / plain (median of the rounds' ratios: {ratios}) | **{ratio:.2f}** |

Search over {args.docs} documents, one-word full-text `simple_query_string` over all language sub-fields,
highlights, and every facet (6 terms aggregations + the monthly date histogram) in one `_search` body,
{args.queries} queries after {WARMUP_QUERIES} warm-up, index force-merged to 1 segment, client wall time:
p50 **{p50:.1f} ms**, p95 **{p95:.1f} ms** (median ES `took` {took:.0f} ms).

{scale_table(scale, args.scale_docs, args.queries)}
Re-run after changing the mapping (`schemas/articles_index.v1.json`), the batch settings or the query.
"""
    if not args.no_write:
        write_section(section)
        print(f"written to {RESULTS}")


if __name__ == "__main__":
    main()
