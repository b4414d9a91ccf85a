"""Search latency at scale: corpus-derived documents replicated (new ids, URLs, dates, sources) into a
bench index with ``helpers.bulk``, then p50/p95 of three query shapes built by ``indexing.search``.
"""

from __future__ import annotations

import hashlib
import random
import statistics
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from elasticsearch import Elasticsearch, helpers

from bench.indexing import ORGS, PERSONS, QUERY_WORDS, make_events
from bench.names import BenchNames, cleanup
from indexing import templates
from indexing.bulk import BULK_REQUEST_TIMEOUT_S
from indexing.documents import to_index_document
from indexing.search import SearchRequest, search
from schemas.settings import Settings

# Distinct texts; the rest are copies with their own id, URL, date and source. 2,000 texts of ~500
# words give the index a realistic vocabulary; more only lengthens the set-up.
DISTINCT_TEXTS = 2_000
# Dates spread over ~4 years (one article every 20 minutes at 100k): dozens of monthly buckets.
DOC_STEP = timedelta(minutes=20)
FIRST_DATE = datetime(2022, 1, 1, tzinfo=UTC)
SOURCES = 200
WARMUP_QUERIES = 20
# Bulk load as a backfill would: no refresh while loading (the template's 1 s is put back after).
LOAD_REFRESH_INTERVAL = "-1"
BULK_CHUNK_DOCS = 500


@dataclass(frozen=True)
class Latency:
    shape: str
    queries: int
    p50_ms: float
    p95_ms: float
    hits_p50: float  # median total hits: how much work the facets had
    variant: str = ""  # Variant name when several are measured side by side

    @staticmethod
    def of(shape: str, walls: list[float], hits: list[int], variant: str = "") -> Latency:
        q = statistics.quantiles(walls, n=100)
        return Latency(shape, len(walls), q[49], q[94], statistics.median(hits), variant)


@dataclass(frozen=True)
class Variant:
    """How the searches run: ``exact`` counts every match and facet (SearchRequest.exact, the product before
    the bounded total and sampled facets); ``cold`` empties the shard request cache before each search, so
    the facets are computed, not served from the cache (the shapes repeat 10 words)."""

    exact: bool = False
    cold: bool = False


@dataclass(frozen=True)
class SearchScale:
    docs: int
    load_docs_per_s: float
    segments: int
    latencies: list[Latency]


def base_documents(n: int) -> list[dict[str, Any]]:
    """The distinct index documents (``min(n, DISTINCT_TEXTS)``) that every generated article copies."""
    return [to_index_document(e) for e in make_events(min(n, DISTINCT_TEXTS), seed=23)]


def domains(n: int) -> list[int]:
    """The source number of each of the ``n`` articles (one seeded draw each, in order)."""
    rng = random.Random(5)
    return [rng.randrange(SOURCES) for _ in range(n)]


def document(base: list[dict[str, Any]], i: int, source: int) -> dict[str, Any]:
    """Article ``i``: the text of ``base[i % len(base)]`` with its own id, URL, date and source."""
    doc = dict(base[i % len(base)])
    domain = f"outlet{source}.test"
    published = FIRST_DATE + DOC_STEP * i
    doc |= {
        "id": hashlib.md5(f"scale-{i}".encode()).hexdigest(),
        "url": f"https://{domain}/a/{i}",
        "canonical_url": f"https://{domain}/a/{i}",
        "source": {"domain": domain, "name": f"Outlet {domain}"},
        "published_at": published.isoformat(),
        "fetched_at": (published + timedelta(minutes=3)).isoformat(),
    }
    return doc


def _documents(n: int) -> Iterator[dict[str, Any]]:
    base = base_documents(n)
    for i, source in enumerate(domains(n)):
        yield document(base, i, source)


def load(es: Elasticsearch, alias: str, n: int) -> float:
    """Bulk ``n`` documents behind ``alias``; returns docs/s (refresh included)."""
    index = templates.ensure_index(es, alias)
    es.indices.put_settings(index=index, settings={"index": {"refresh_interval": LOAD_REFRESH_INTERVAL}})
    started = time.perf_counter()
    ok, errors = helpers.bulk(
        es.options(request_timeout=BULK_REQUEST_TIMEOUT_S),
        ({"_index": alias, "_id": d["id"], "_source": d} for d in _documents(n)),
        chunk_size=BULK_CHUNK_DOCS,
        raise_on_error=False,
    )
    refresh = templates.load_template_body()["template"]["settings"]["index"]["refresh_interval"]
    es.indices.put_settings(index=index, settings={"index": {"refresh_interval": refresh}})
    es.indices.refresh(index=alias)
    if ok != n or errors:
        raise RuntimeError(f"search load: {ok} of {n} ok, {len(errors)} errors")
    return n / (time.perf_counter() - started)


def shapes(rng: random.Random, exact: bool = False) -> dict[str, SearchRequest]:
    """The three query shapes of the issue, with a random word / person / organisation."""
    word = rng.choice(QUERY_WORDS)
    return {
        "a: full text + highlights": SearchRequest(query=word, exact=exact),
        "b: a + all facets + date histogram": SearchRequest(query=word, facets=True, exact=exact),
        "c: entity filter + facets": SearchRequest(
            person=rng.choice(PERSONS), org=rng.choice(ORGS), facets=True, exact=exact
        ),
    }


def measure(
    es: Elasticsearch, alias: str, queries: int, variants: dict[str, Variant] | None = None
) -> list[Latency]:
    """Each shape ``WARMUP_QUERIES`` + ``queries`` times through ``indexing.search.search`` (the product:
    hits and facets side by side in one ``_msearch``), in each variant (default: the product as is),
    interleaved so load changes hit all shapes and variants alike."""
    variants = variants or {"": Variant()}
    rngs = {name: random.Random(3) for name in variants}  # the same queries in every variant
    walls: dict[tuple[str, str], list[float]] = {}
    hits: dict[tuple[str, str], list[int]] = {}
    for i in range(WARMUP_QUERIES + queries):
        for name, variant in variants.items():
            for shape, request in shapes(rngs[name], variant.exact).items():
                if variant.cold:
                    es.indices.clear_cache(index=alias, request=True)
                started = time.perf_counter()
                result = search(es, alias, request)
                if i >= WARMUP_QUERIES:
                    walls.setdefault((name, shape), []).append((time.perf_counter() - started) * 1000)
                    hits.setdefault((name, shape), []).append(result.total)
    return [Latency.of(shape, walls[name, shape], hits[name, shape], name) for name, shape in walls]


def run(base: Settings, names: BenchNames, docs: int, queries: int) -> SearchScale:
    es = Elasticsearch(base.es_url)
    settings = names.settings(base)
    try:
        rate = load(es, settings.index_alias, docs)
        segments = len(es.cat.segments(index=settings.index_alias, format="json").body)
        return SearchScale(docs, rate, segments, measure(es, settings.index_alias, queries))
    finally:
        cleanup(settings, es)
