"""``bench.run``'s results as table rows (terminal) and as the "End to end" section of docs/benchmarks.md."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

SECTION = "## End to end"
GOAL_E2E_RATIO = 0.9
GOAL_FRESHNESS_P95_S = 2.0
GOAL_INDEXING_RATIO = 0.9
GOAL_SEARCH_P95_MS = 50.0


def _f(value: float | None, digits: int = 1) -> str:
    return "n/a" if value is None else f"{value:.{digits}f}"


def _ratio(a: float, b: float) -> str:
    return f"{a / b:.2f}" if b else "n/a"


def summary_rows(r: dict[str, Any]) -> list[tuple[str, str, str, str]]:
    """(measure, value, baseline or goal, ratio) rows, for the parts present in ``r``."""
    rows = _e2e_rows(r) if "e2e" in r else []
    rows += _other_rows(r)
    return rows


def _e2e_rows(r: dict[str, Any]) -> list[tuple[str, str, str, str]]:
    e2e, bound = r["e2e"], r["bound"]
    dedicated = r["machine"]["nproc"] * e2e["discovered"] / e2e["pipeline_cpu_s"]
    rows = [
        (
            f"end to end, {e2e['searchable']} articles searchable",
            f"{e2e['pages_per_s']:.2f} pages/s ({e2e['articles_per_s']:.2f} articles/s)",
            f"bound: core alone {bound['pages_per_s_wall']:.2f} pages/s",
            f"{e2e['pages_per_s'] / bound['pages_per_s_wall']:.2f} (goal >= {GOAL_E2E_RATIO})",
        ),
        (
            "end to end, steady (first -> last article searchable)",
            f"{e2e['steady_articles_per_s']:.2f} articles/s",
            "",
            "",
        ),
        (
            "end to end, dedicated cores (CPU s of every process, shared ES/Kafka incl.)",
            f"{dedicated:.2f} pages/s",
            f"bound: {bound['pages_per_s_dedicated']:.2f} pages/s",
            f"{dedicated / bound['pages_per_s_dedicated']:.2f}",
        ),
    ]
    ingest_cpu = e2e["processes"].get("flow + pool workers", {}).get("cpu_s")
    if ingest_cpu:
        ingest_rate = r["machine"]["nproc"] * e2e["discovered"] / ingest_cpu
        rows.append(
            (
                "end to end, dedicated cores, ingest processes only (flow + workers CPU s)",
                f"{ingest_rate:.2f} pages/s",
                f"bound: {bound['pages_per_s_dedicated']:.2f} pages/s",
                _ratio(ingest_rate, bound["pages_per_s_dedicated"]),
            )
        )
    fresh = e2e.get("freshness")
    if fresh:
        rows.append(
            (
                f"freshness p50 / p95 / max ({fresh['seen']} probes)",
                f"{_f(fresh['p50_s'], 2)} / {_f(fresh['p95_s'], 2)} / {_f(fresh['max_s'], 2)} s",
                f"goal p95 <= {GOAL_FRESHNESS_P95_S} s",
                "",
            )
        )
    return rows


def _other_rows(r: dict[str, Any]) -> list[tuple[str, str, str, str]]:
    rows = []
    if "indexing" in r:
        ix = r["indexing"]
        rows.append(
            (
                f"indexer, {ix['docs']} docs (median of {ix.get('rounds', 1)} rounds)",
                f"{ix['indexer_docs_per_s']:.0f} docs/s",
                f"helpers.bulk {ix['plain_docs_per_s']:.0f} docs/s",
                f"{ix['ratio']:.2f} (goal >= {GOAL_INDEXING_RATIO})",
            )
        )
    if "search" in r:
        s = r["search"]
        for latency in s["latencies"]:
            goal = f"goal p95 <= {GOAL_SEARCH_P95_MS:.0f} ms" if latency["shape"].startswith("b") else ""
            rows.append(
                (
                    f"search {latency['shape']} ({s['docs']} docs)",
                    f"p50 {latency['p50_ms']:.1f} / p95 {latency['p95_ms']:.1f} ms "
                    f"({latency['hits_p50']:.0f} hits)",
                    goal,
                    "",
                )
            )
    if "scaling" in r:
        sc = r["scaling"]
        b1, b2 = sc["bound_1_worker"], sc["bound_2_workers"]
        rows.append(
            (
                "core alone, 1 -> 2 workers",
                f"{b1['pages_per_s_wall']:.2f} -> {b2['pages_per_s_wall']:.2f} pages/s",
                "1 worker",
                f"{b2['pages_per_s_wall'] / b1['pages_per_s_wall']:.2f}",
            )
        )
        w1, w2, i2 = sc["w1-i1"], sc["w2-i1"], sc["w2-i2"]
        rows.append(
            (
                f"end to end steady ({w1['searchable']} articles), 1 -> 2 ingest workers",
                f"{w1['steady_articles_per_s']:.2f} -> {w2['steady_articles_per_s']:.2f} articles/s",
                "1 worker",
                _ratio(w2["steady_articles_per_s"], w1["steady_articles_per_s"]),
            )
        )
        rows.append(
            (
                "end to end steady, 1 -> 2 indexer processes",
                f"{w2['steady_articles_per_s']:.2f} -> {i2['steady_articles_per_s']:.2f} articles/s",
                "1 indexer",
                _ratio(i2["steady_articles_per_s"], w2["steady_articles_per_s"]),
            )
        )
        x1, x2 = sc["indexer_1_processes_docs_per_s"], sc["indexer_2_processes_docs_per_s"]
        rows.append(
            (
                "indexer alone on a backlog, 1 -> 2 processes",
                f"{x1:.0f} -> {x2:.0f} docs/s",
                "1 process",
                f"{x2 / x1:.2f}",
            )
        )
    return rows


def process_rows(r: dict[str, Any]) -> list[tuple[str, str, str, str, str]]:
    """One row per role, heaviest CPU first; a role with children also shows its root process alone."""
    processes = r["e2e"]["processes"] if "e2e" in r else {}
    total = sum(p["cpu_s"] for p in processes.values()) or 1.0
    rows = []
    for role, p in sorted(processes.items(), key=lambda kv: -kv[1]["cpu_s"]):
        rows.append(
            (
                role,
                f"{p['peak_rss_bytes'] / 2**20:.0f}",
                f"{p['peak_process_rss_bytes'] / 2**20:.0f}",
                f"{p['cpu_s']:.0f}",
                f"{p['cpu_s'] / total:.0%}",
            )
        )
        root = p.get("root_cpu_s")
        if p["processes_seen"] > 1 and root is not None:
            rows.append(
                (
                    f"  of which {role.split(' ')[0]} process alone",
                    "",
                    "",
                    f"{root:.0f}",
                    f"{root / total:.0%}",
                )
            )
    return rows


def _markdown(headers: tuple[str, ...], rows: list[tuple[str, ...]]) -> str:
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def _parts(r: dict[str, Any]) -> str:
    return "; ".join(
        f"{name} {p['date'][:16].replace('T', ' ')} UTC{' with --quick' if p['quick'] else ''}"
        for name, p in r.get("parts", {}).items()
    )


def section(r: dict[str, Any]) -> str:
    m, e2e, bound = r["machine"], r["e2e"], r["bound"]
    search_docs = r.get("search", {}).get("docs", "n/a")
    return f"""{SECTION}

`python -m bench.run`; each part as last measured: {_parts(r)}. The last invocation took
{r["bench_wall_s"] / 60:.0f} min; a full run of all parts takes ~21 min here, `--quick` ~4-5 min.

Machine: {m["nproc"]} cores ({m["cpu_model"]}), {m["ram_gb"]} GB RAM, Python {m["python"]}. Kafka,
Elasticsearch, Prefect, the flow, its pool workers, the indexer and the simulated site all share these
cores (1-min load average {m["load_average_1m_at_start"]} at the start of the last invocation; nothing
else ran on the machine during the runs): wall-clock figures are what the run saw; the "dedicated
cores" rows divide by CPU seconds instead.

Set-up: the simulated site serves {e2e["articles_served"]} articles (corpus pages replicated under
distinct URLs) through one news sitemap; one `ingest-source` Prefect flow run (child process,
{e2e["ingest_workers"]} pool workers) fetches, extracts, enriches and publishes them to a 6-partition
topic; a streaming indexer (`newsflow index`, child process, in its group before the clock starts)
indexes them. The clock runs from the site's first request to the first count of the alias that shows
every published article. Politeness is lowered for the single local host:
`NEWSFLOW_FETCH_PER_HOST_CONCURRENCY={r["fetch_per_host_concurrency"]}`,
`NEWSFLOW_FETCH_MIN_DELAY_MS={r["fetch_min_delay_ms"]}` (the defaults, 2 and 500 ms, cap one host at
~2 pages/s). The bound: `BuildPool({bound["workers"]})` over the {bound["pages"]} distinct pages'
bytes in memory, warm (every page built once, untimed), measured before and after the run with the
same pool once the machine is quiet (under 0.1 busy cores), averaged. Freshness:
probe events at 2/s through `ArticlePublisher` into the same topic during the run, from the delivery
callback to the first search that returns them (ids query, polled every 200 ms). Search:
`indexing.search.search` (the product: hits and facets in one `_msearch`) over {search_docs}
documents bulk-loaded from corpus-derived texts with varied ids, dates and sources (not
force-merged), 20 warm-up queries per shape, the three shapes interleaved.

{_markdown(("measure", "value", "baseline / goal", "ratio"), summary_rows(r))}

Peak RSS and CPU of each process during the end-to-end run (sampled every 0.5 s with psutil; a role
sums the process and its children, e.g. the flow with its fork server and pool workers; the workers
share the models the fork server loaded, and the RSS sum counts those pages once per process, so it
overstates the role's memory by up to ~2 x 400 MB. PSS would not, but reading it for every process
every 0.5 s cost the benchmark ~30 CPU seconds per run, taken from the cores it measures):

{_markdown(("process", "peak RSS MB", "largest process MB", "CPU s", "CPU share"), process_rows(r))}

Raw numbers: `bench/results.json`.
"""


def write_docs(results: dict[str, Any], path: Path) -> None:
    """Replace (or append) only the "End to end" section; other sections are left as they are."""
    current = path.read_text("utf-8") if path.exists() else "# Benchmarks\n"
    text = section(results)
    pattern = re.compile(rf"^{re.escape(SECTION)}\n.*?(?=^## |\Z)", re.S | re.M)
    if pattern.search(current):
        updated = pattern.sub(lambda _: text, current)
    else:
        updated = current.rstrip("\n") + "\n\n" + text
    path.write_text(updated, "utf-8")
