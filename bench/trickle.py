"""CPU of Elasticsearch, Kafka and the indexer per 1,000 documents on a steady trickle of events (the
end-to-end run's rate), for tuning the indexer's linger and the index settings:

    .venv/bin/python -m bench.trickle [--rate 25] [--docs 1500] [--linger-ms 200 400] [--rounds 2]

Each round publishes ``--docs`` benchmark events at ``--rate`` per second into a fresh topic that a
streaming indexer (``newsflow index``, child process) consumes into a fresh index, until all are
searchable; the configurations alternate within a round (the node warms up over a run). Run after
``newsflow stack up`` on an otherwise quiet machine.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import time
import uuid
from pathlib import Path

from elasticsearch import Elasticsearch

from bench.indexing import make_events
from bench.names import BenchNames, cleanup, settings_env
from bench.pipeline import NEWSFLOW, _stop, stack_pids, wait_for_count, wait_group_ready
from bench.processes import ProcessSampler
from indexing import templates
from ingest.publish.producer import make_producer, send_event
from ingest.publish.topics import ensure_topics
from schemas.settings import REPO_ROOT, Settings, get_settings

ROLES = ("elasticsearch", "kafka", "indexer")
# The last acknowledgements of the trickle: a minute is far above a healthy broker's answer time.
FLUSH_TIMEOUT_S = 60.0


def trickle_round(
    base: Settings, names: BenchNames, docs: int, rate: float, linger_ms: int, log: Path
) -> dict[str, float]:
    es = Elasticsearch(base.es_url)
    settings = names.settings(base)
    ensure_topics(settings)
    templates.ensure_index(es, settings.index_alias)
    env = os.environ | settings_env(settings) | {"NEWSFLOW_INDEXER_LINGER_MS": str(linger_ms)}
    events = [e.model_copy(update={"id": uuid.uuid4().hex}) for e in make_events(docs, seed=3)]
    sampler = ProcessSampler()
    with log.open("wb") as out:
        indexer = subprocess.Popen([NEWSFLOW, "index"], env=env, cwd=REPO_ROOT, stdout=out, stderr=out)
    try:
        wait_group_ready(settings, 1)
        for role, pid in stack_pids(base).items():
            if role in ROLES:
                sampler.add(role, pid)
        sampler.add("indexer", indexer.pid)
        producer = make_producer(settings)
        sampler.start()
        started = time.monotonic()
        for n, event in enumerate(events):
            time.sleep(max(0.0, started + n / rate - time.monotonic()))
            send_event(producer, event, "trickle", settings, lambda error, msg: None)
        producer.flush(FLUSH_TIMEOUT_S)
        wait_for_count(lambda: int(es.count(index=settings.index_alias)["count"]), docs, f"see {log}")
        stats = sampler.stop()
    finally:
        _stop(indexer)
        cleanup(settings, es)
    return {role: 1000 * stats[role].cpu_s / docs for role in ROLES}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rate", type=float, default=25.0, help="events per second (end to end: ~25)")
    parser.add_argument("--docs", type=int, default=1500)
    parser.add_argument("--linger-ms", type=int, nargs="+", default=[200, 400])
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    base = get_settings()
    run = uuid.uuid4().hex[:8]
    results: dict[int, list[dict[str, float]]] = {linger: [] for linger in args.linger_ms}
    for round_ in range(args.rounds):
        order = args.linger_ms if round_ % 2 == 0 else list(reversed(args.linger_ms))
        for linger in order:
            names = BenchNames(run, f"trickle-{linger}-{round_}")
            log = Path("/tmp") / f"{names.prefix}-indexer.log"
            cpu = trickle_round(base, names, args.docs, args.rate, linger, log)
            results[linger].append(cpu)
            print(
                f"round {round_ + 1}, linger {linger} ms: CPU s per 1,000 docs "
                + ", ".join(f"{role} {cpu[role]:.2f}" for role in ROLES),
                flush=True,
            )
    print(f"medians over {args.rounds} rounds, CPU s per 1,000 docs at {args.rate:g} docs/s:")
    for linger, rows in results.items():
        medians = {role: statistics.median(r[role] for r in rows) for role in ROLES}
        print(
            f"  linger {linger} ms: "
            + ", ".join(f"{role} {medians[role]:.2f}" for role in ROLES)
            + f", total {sum(medians.values()):.2f}"
        )


if __name__ == "__main__":
    main()
