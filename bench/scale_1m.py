"""Search at 1M articles on one throwaway Elasticsearch node: load, disk per 100k, p50/p95 per shape.

    .venv/bin/python -m bench.scale_1m [--docs 1000000] [--queries 200] [--http-port 49200] [--keep]
    .venv/bin/python -m bench.scale_1m --measure-only --clone-to 1000000 --keep   # after a cut-short load

The node is the product's single node (same jars, same 512 MB heap, same index template), started on
its own ports and data dir so the shared stack stays responsive; it is stopped and its data deleted at
the end unless ``--keep``. The documents and the three query shapes are ``bench.search_scale``'s.
``--measure-only`` measures what an interrupted load left; ``--clone-to N`` then adds read-only copies
of that index (``_clone``: hard-linked segments, no indexing) behind the alias until it holds N documents,
and measures again (N documents on the node, one shard per copy).
Writes ``bench/results/scale_1m.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import time
from dataclasses import asdict
from pathlib import Path

import psutil
from elasticsearch import Elasticsearch

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
# Queries per shape for the CPU cost: 100 averages out the cheap and the every-article words.
CPU_QUERIES = 100


def _start_node(settings: Settings, data_dir: Path, http_port: int) -> ManagedProcess:
    proc = ManagedProcess("es-scale", data_dir / "run", data_dir / "es.out", elasticsearch_node.MAIN_CLASS)
    if proc.running_pid() is None:
        elasticsearch_node.build(settings.cache_dir)
        proc.start(
            elasticsearch_node.command(settings.cache_dir, data_dir / "es", http_port, http_port + 100)
        )
    if not wait_until(lambda: http_ok(f"http://127.0.0.1:{http_port}/_cluster/health"), NODE_START_TIMEOUT_S):
        raise RuntimeError(f"scale node did not come up:\n{proc.tail()}")
    return proc


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


def _cpu_ms_per_query(es: Elasticsearch, alias: str, node: psutil.Process, queries: int) -> dict[str, float]:
    """Elasticsearch CPU per query of each shape, one shape at a time: what a query costs whatever else
    runs on the machine (wall-clock latencies on a busy shared machine measure the machine too)."""
    rng = random.Random(7)
    costs: dict[str, float] = {}
    for shape in search_scale.shapes(rng):
        requests = [search_scale.shapes(rng)[shape] for _ in range(queries)]
        before = node.cpu_times()
        for request in requests:
            search(es, alias, request)
        after = node.cpu_times()
        spent = (after.user - before.user) + (after.system - before.system)
        costs[shape] = round(spent * 1000 / queries, 1)
    return costs


def _measure(es: Elasticsearch, alias: str, queries: int, node: psutil.Process) -> dict[str, object]:
    started = time.perf_counter()
    latencies = [asdict(x) for x in search_scale.measure(es, alias, queries)]
    return {
        "docs": es.count(index=alias)["count"],
        "latencies": latencies,
        "es_cpu_ms_per_query": _cpu_ms_per_query(es, alias, node, CPU_QUERIES),
        "load_average_1m": round(os.getloadavg()[0], 1),
        "measure_s": round(time.perf_counter() - started),
    }


def _finish_partial_load(es: Elasticsearch, alias: str) -> None:
    """After an interrupted load: the template's refresh interval back and one refresh (as ``load`` ends)."""
    refresh = templates.load_template_body()["template"]["settings"]["index"]["refresh_interval"]
    es.indices.put_settings(index=alias, settings={"index": {"refresh_interval": refresh}})
    es.indices.refresh(index=alias)


def _clone_to(es: Elasticsearch, alias: str, docs: int) -> int:
    """Read-only copies of the loaded index (hard-linked segments: no indexing) behind the alias until it
    holds ``docs`` documents; returns the number of shards searched."""
    index = templates.index_name(alias, templates.FIRST_VERSION)
    have = es.count(index=index)["count"]
    copies = -(-docs // have) - 1
    es.indices.put_settings(index=index, settings={"index": {"blocks.write": True}})
    for i in range(1, copies + 1):
        target = f"{index}-copy{i}"
        if not es.indices.exists(index=target):
            es.indices.clone(index=index, target=target, settings={"index": {"number_of_replicas": 0}})
        es.indices.put_settings(index=target, settings={"index": {"number_of_replicas": 0}})
        es.indices.put_alias(index=target, name=alias)
    es.cluster.health(index=f"{index}*", wait_for_status="green", timeout="120s")
    return copies + 1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=1_000_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--http-port", type=int, default=49200)
    parser.add_argument("--data-dir", type=Path, default=Path("/tmp/newsflow-scale-1m"))
    parser.add_argument("--keep", action="store_true", help="leave the node and its data (re-measure later)")
    parser.add_argument("--measure-only", action="store_true", help="measure what an earlier load left")
    parser.add_argument(
        "--clone-to",
        type=int,
        default=0,
        help="then measure again with read-only copies up to this many docs",
    )
    args = parser.parse_args()
    settings = Settings(es_url=f"http://127.0.0.1:{args.http_port}")
    proc = _start_node(settings, args.data_dir, args.http_port)
    es = Elasticsearch(settings.es_url, request_timeout=120)
    alias = BenchNames("1m", "scale").settings(settings).index_alias
    try:
        result: dict[str, object] = {
            "docs_requested": args.docs,
            "heap_mb": elasticsearch_node.DEFAULT_HEAP_MB,
        }
        if args.measure_only:
            _finish_partial_load(es, alias)
        else:
            result["load_docs_per_s"] = round(search_scale.load(es, alias, args.docs))
        index = templates.index_name(alias, templates.FIRST_VERSION)
        result["disk"] = _disk(es, index)
        node = psutil.Process(proc.running_pid())
        result["one_index"] = _measure(es, index, args.queries, node)
        print(json.dumps(result, indent=2), flush=True)
        if args.clone_to:
            result["copies_shards"] = _clone_to(es, alias, args.clone_to)
            result["with_copies"] = _measure(es, alias, args.queries, node)
        RESULTS.parent.mkdir(parents=True, exist_ok=True)
        RESULTS.write_text(json.dumps(result, indent=2))
        print(json.dumps(result, indent=2))
    finally:
        if not args.keep:
            proc.stop()
            shutil.rmtree(args.data_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
