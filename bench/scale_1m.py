"""Search at 1M articles on one throwaway Elasticsearch node: load, disk per 100k, p50/p95 per shape.

    .venv/bin/python -m bench.scale_1m --docs 1000000 --load-only --progress notes.md   # load, keep the node
    .venv/bin/python -m bench.scale_1m --measure-only --force-merge [--keep]           # measure, merge, again

The node is the product's single node (same jars, same index template; heap ``--heap-mb``, 2 GB by
default), started on its own ports and data dir so the shared stack stays responsive; it is stopped and its
data deleted at the end unless ``--keep`` (or ``--load-only``). The documents (real, generated one by one:
no copies of an index) and the three query shapes are ``bench.search_scale``'s; the load runs as a
backfill would (:data:`LOAD_SETTINGS`, then the template's settings back). Each measurement runs the shapes
in every :data:`VARIANTS` side by side: the product's exact counts (before) and its default (after).
Writes ``bench/results/scale_1m.json``.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import random
import shutil
import time
from dataclasses import asdict
from pathlib import Path
from typing import Any

import orjson
import psutil
from elasticsearch import ApiError, ConnectionError, Elasticsearch, TransportError

from bench import search_scale
from bench.names import BenchNames
from indexing import templates
from indexing.search import search
from infra import elasticsearch_node
from infra.processes import ManagedProcess, wait_until
from infra.stack import http_ok
from schemas.settings import Settings

RESULTS = Path(__file__).resolve().parent / "results" / "scale_1m.json"
# A cold node on a busy 2-core machine answers within ~20-60 s.
NODE_START_TIMEOUT_S = 240.0
DOCS_PER_DISK_UNIT = 100_000
# Queries per shape and variant for the CPU cost: 40 draws each of the 10 words ~4 times.
CPU_QUERIES = 40


def _start_node(settings: Settings, data_dir: Path, http_port: int, heap_mb: int) -> ManagedProcess:
    proc = ManagedProcess("es-scale", data_dir / "run", data_dir / "es.out", elasticsearch_node.MAIN_CLASS)
    if proc.running_pid() is None:
        elasticsearch_node.build(settings.cache_dir)
        proc.start(
            elasticsearch_node.command(
                settings.cache_dir, data_dir / "es", http_port, http_port + 100, heap_mb=heap_mb
            )
        )
    if not wait_until(lambda: http_ok(f"http://127.0.0.1:{http_port}/_cluster/health"), NODE_START_TIMEOUT_S):
        raise RuntimeError(f"scale node did not come up:\n{proc.tail()}")
    return proc


# The bulk load, as a backfill of a large archive would be done (restored to the template's settings after):
# no refresh, no replica, translog fsync every 30 s instead of per bulk (a crash loses at most the last 30 s,
# re-sent by the loader), and a flush only every 1 GB of translog.
LOAD_SETTINGS = {
    "refresh_interval": "-1",
    "auto_expand_replicas": "false",
    "number_of_replicas": 0,
    "translog.durability": "async",
    "translog.sync_interval": "30s",
    "translog.flush_threshold_size": "1gb",
}
# 1,000 documents of ~9.5 KB: ~10 MB a bulk, Elastic's advice of 5-15 MB a request.
LOAD_BULK_DOCS = 1_000
# Bulk clients in parallel: 3 keep both cores of the node busy (one request is parsed and analysed on one
# write thread) while each client builds its next bulk; documents are generated in the client processes.
LOAD_CLIENTS = 3
# Progress line every minute.
PROGRESS_EVERY_S = 60.0
# Heap of the scale node (load and searches): the indexing buffer is 10 % of the heap, so 2 GB gives ~200 MB
# segments before a flush (fewer, larger segments to merge) and room for the facets' global ordinals of 1M
# articles; the product's default 512 MB is sized for ~100k. The machine has 23 GB: the page cache keeps the
# index (~7 GB at 1M) in memory either way.
SCALE_HEAP_MB = 2048

_worker: dict[str, Any] = {}


def _worker_init(url: str, index: str, n: int) -> None:
    _worker["es"] = Elasticsearch(url, request_timeout=600)
    _worker["index"] = index
    _worker["base"] = search_scale.base_documents(n)
    _worker["domains"] = search_scale.domains(n)


def _bulk_chunk(start: int) -> tuple[int, int]:
    """Index documents ``start`` .. ``start + LOAD_BULK_DOCS`` (generated here); returns (ok, errors)."""
    index, base, domains = _worker["index"], _worker["base"], _worker["domains"]
    lines: list[bytes] = []
    for i in range(start, min(start + LOAD_BULK_DOCS, len(domains))):
        doc = search_scale.document(base, i, domains[i])
        lines.append(orjson.dumps({"index": {"_index": index, "_id": doc["id"]}}))
        lines.append(orjson.dumps(doc))
    body = b"\n".join(lines) + b"\n"
    for attempt in range(5):
        try:
            response = _worker["es"].bulk(operations=body, filter_path="errors,items.*.status,items.*.error")
            break
        except (ConnectionError, ApiError, TransportError):
            if attempt == 4:
                raise
            time.sleep(5 * (attempt + 1))
    items = response.body.get("items", [])
    errors = sum(1 for item in items if next(iter(item.values()))["status"] >= 300)
    if errors:
        first = next(next(iter(i.values())) for i in items if next(iter(i.values()))["status"] >= 300)
        print(f"bulk {start}: {errors} errors, first {first}", flush=True)
    return len(items) - errors, errors


def fast_load(es: Elasticsearch, url: str, alias: str, n: int, clients: int, progress: Path | None) -> dict:
    """Load ``n`` generated documents with ``clients`` parallel bulk processes; returns the load figures."""
    index = templates.ensure_index(es, alias)
    es.indices.put_settings(index=index, settings={"index": LOAD_SETTINGS})
    have = es.count(index=index)["count"]
    # Documents are numbered: an interrupted load resumes after what it already indexed (ids are stable).
    first = (have // LOAD_BULK_DOCS) * LOAD_BULK_DOCS
    starts = list(range(first, n, LOAD_BULK_DOCS))
    ok = errors = 0
    started = last_log = time.perf_counter()
    last_ok = 0
    with multiprocessing.get_context("fork").Pool(clients, _worker_init, (url, index, n)) as pool:
        for done, failed in pool.imap_unordered(_bulk_chunk, starts):
            ok += done
            errors += failed
            now = time.perf_counter()
            if now - last_log >= PROGRESS_EVERY_S:
                line = (
                    f"- {time.strftime('%H:%M:%S', time.gmtime())} load: {first + ok:,} docs, "
                    f"{(ok - last_ok) / (now - last_log):.0f} docs/s last {now - last_log:.0f} s, "
                    f"{ok / (now - started):.0f} docs/s overall, errors {errors}, "
                    f"load avg {os.getloadavg()[0]:.1f}"
                )
                print(line, flush=True)
                if progress is not None:
                    with progress.open("a") as f:
                        f.write(line + "\n")
                last_log, last_ok = now, ok
    load_s = time.perf_counter() - started
    return {
        "docs_loaded": ok,
        "errors": errors,
        "resumed_from": first,
        "load_s": round(load_s),
        "load_docs_per_s": round(ok / load_s),
        "clients": clients,
    }


def restore_settings(es: Elasticsearch, index: str) -> float:
    """The template's refresh, replica and translog settings back, then one refresh; returns its seconds."""
    template = templates.load_template_body()["template"]["settings"]["index"]
    es.indices.put_settings(
        index=index,
        settings={
            "index": {
                "refresh_interval": template["refresh_interval"],
                "auto_expand_replicas": template["auto_expand_replicas"],
                "translog.durability": "request",
                "translog.sync_interval": None,
                "translog.flush_threshold_size": None,
            }
        },
    )
    started = time.perf_counter()
    es.indices.refresh(index=index)
    return time.perf_counter() - started


def _disk(es: Elasticsearch, alias: str) -> dict[str, float]:
    stats = es.indices.stats(index=alias, metric="store,docs,segments").body["_all"]["primaries"]
    docs = stats["docs"]["count"]
    store = stats["store"]["size_in_bytes"]
    return {
        "docs": docs,
        "store_mb": round(store / 2**20, 1),
        "mb_per_100k": round(store / 2**20 * DOCS_PER_DISK_UNIT / docs, 1),
        "segments": stats["segments"]["count"],
    }


# Before and after in the same run: the product's exact counts (``SearchRequest.exact``, what every search
# did before the bounded total and sampled facets) and its default; each with the facets from the shard
# request cache (the shapes repeat 10 words) and computed (cache emptied before each search).
VARIANTS = {
    "exact, cached facets": search_scale.Variant(exact=True),
    "exact, cold": search_scale.Variant(exact=True, cold=True),
    "bounded+sampled, cached facets": search_scale.Variant(),
    "bounded+sampled, cold": search_scale.Variant(cold=True),
}


def _cpu_ms_per_query(
    es: Elasticsearch, alias: str, node: psutil.Process, queries: int
) -> dict[str, dict[str, float]]:
    """Elasticsearch CPU per query of each shape and variant, one at a time: what a query costs whatever else
    runs on the machine (wall-clock latencies on a busy shared machine measure the machine too). The cold
    variants include the cache clearing (a few ms, measured alone as "clear_cache")."""
    costs: dict[str, dict[str, float]] = {}
    for name, variant in VARIANTS.items():
        rng = random.Random(7)
        for shape in search_scale.shapes(rng):
            requests = [search_scale.shapes(rng, variant.exact)[shape] for _ in range(queries)]
            before = node.cpu_times()
            for request in requests:
                if variant.cold:
                    es.indices.clear_cache(index=alias, request=True)
                search(es, alias, request)
            after = node.cpu_times()
            spent = (after.user - before.user) + (after.system - before.system)
            costs.setdefault(name, {})[shape] = round(spent * 1000 / queries, 1)
    before = node.cpu_times()
    for _ in range(queries):
        es.indices.clear_cache(index=alias, request=True)
    after = node.cpu_times()
    costs["clear_cache"] = {
        "": round(((after.user - before.user) + (after.system - before.system)) * 1000 / queries, 1)
    }
    return costs


def _measure(es: Elasticsearch, alias: str, queries: int, node: psutil.Process) -> dict[str, object]:
    started = time.perf_counter()
    load_before = os.getloadavg()[0]
    latencies = [asdict(x) for x in search_scale.measure(es, alias, queries, VARIANTS)]
    return {
        "docs": es.count(index=alias)["count"],
        "latencies": latencies,
        "es_cpu_ms_per_query": _cpu_ms_per_query(es, alias, node, CPU_QUERIES),
        "load_average_1m": [round(load_before, 1), round(os.getloadavg()[0], 1)],
        "measure_s": round(time.perf_counter() - started),
    }


def _finish_partial_load(es: Elasticsearch, alias: str) -> None:
    """After an interrupted load: the template's refresh interval back and one refresh (as ``load`` ends)."""
    refresh = templates.load_template_body()["template"]["settings"]["index"]["refresh_interval"]
    es.indices.put_settings(index=alias, settings={"index": {"refresh_interval": refresh}})
    es.indices.refresh(index=alias)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=1_000_000)
    parser.add_argument("--queries", type=int, default=100)
    parser.add_argument("--http-port", type=int, default=49200)
    parser.add_argument("--heap-mb", type=int, default=SCALE_HEAP_MB)
    parser.add_argument("--clients", type=int, default=LOAD_CLIENTS)
    parser.add_argument("--progress", type=Path, help="append a load progress line here every minute")
    parser.add_argument("--data-dir", type=Path, default=Path("/tmp/newsflow-scale-1m"))
    parser.add_argument("--keep", action="store_true", help="leave the node and its data (re-measure later)")
    parser.add_argument("--load-only", action="store_true", help="load, restore the settings, keep the node")
    parser.add_argument("--measure-only", action="store_true", help="measure what an earlier load left")
    parser.add_argument(
        "--force-merge", action="store_true", help="then force-merge to 1 segment, measure again"
    )
    parser.add_argument("--index", help="measure this index instead (e.g. a _split copy with more shards)")
    parser.add_argument("--skip-unmerged", action="store_true", help="no measurement before the force-merge")
    args = parser.parse_args()
    settings = Settings(es_url=f"http://127.0.0.1:{args.http_port}")
    proc = _start_node(settings, args.data_dir, args.http_port, args.heap_mb)
    es = Elasticsearch(settings.es_url, request_timeout=600)
    alias = BenchNames("1m", "scale").settings(settings).index_alias
    index = args.index or templates.index_name(alias, templates.FIRST_VERSION)
    keep = args.keep or args.load_only
    try:
        result: dict[str, object] = {"docs_requested": args.docs, "heap_mb": args.heap_mb}
        if args.measure_only:
            _finish_partial_load(es, alias)
            loaded = args.data_dir / "load.json"
            if loaded.is_file():
                result |= json.loads(loaded.read_text())
        else:
            result["load"] = fast_load(es, settings.es_url, alias, args.docs, args.clients, args.progress)
            result["load"]["refresh_s"] = round(restore_settings(es, index), 1)
            result["disk_loaded"] = _disk(es, index)
            print(json.dumps(result, indent=2), flush=True)
            (args.data_dir / "load.json").write_text(json.dumps(result, indent=2))
            if args.load_only:
                return
        node = psutil.Process(proc.running_pid())
        result["heap_mb"] = args.heap_mb
        if not args.skip_unmerged:
            result["disk"] = _disk(es, index)
            result["as_loaded"] = _measure(es, index, args.queries, node)
            _write(result)
        if args.force_merge:
            started = time.perf_counter()
            es.options(request_timeout=7200).indices.forcemerge(index=index, max_num_segments=1)
            result["force_merge_s"] = round(time.perf_counter() - started)
            result["disk_force_merged"] = _disk(es, index)
            result["force_merged"] = _measure(es, index, args.queries, node)
            _write(result)
    finally:
        if not keep:
            proc.stop()
            shutil.rmtree(args.data_dir, ignore_errors=True)


def _write(result: dict[str, object]) -> None:
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2))
    print(json.dumps(result, indent=2), flush=True)


if __name__ == "__main__":
    main()
