"""Run summaries as Markdown for Prefect artifacts (pure: report in, text out)."""

from __future__ import annotations

from indexing.indexer import IndexReport
from ingest.report import RunReport


def _table(header: tuple[str, ...], rows: list[tuple[object, ...]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def ingest_markdown(report: RunReport) -> str:
    """Counts, dead letters by stage and reason, timings and the slowest hosts of one source run."""
    counts = [
        ("discovered", report.discovered),
        ("unchanged (not published again)", report.unchanged),
        ("  of which not fetched (source's date not newer)", report.unchanged_unfetched),
        ("fetched", report.fetched),
        ("extracted", report.extracted),
        ("published (acknowledged by Kafka)", report.published),
        ("  of which new", report.new),
        ("  of which changed (new revision)", report.changed),
        ("dead-lettered", report.dead_lettered_total),
        ("not processed (left for the next run)", report.not_processed),
        ("dead letters not acknowledged by Kafka (dlq_failed)", report.dlq_failed),
    ]
    parts = [
        f"# Ingestion of `{report.source}`",
        "feed/sitemap not modified since last poll (304)" if report.not_modified else "",
        _table(("count", "value"), counts),
        f"Balance: discovered = published + unchanged + dead-lettered + not processed: "
        f"**{'yes' if report.balanced() else 'NO'}** ({report.discovered} = {report.accounted})",
        "## Dead letters by stage and reason",
        _table(
            ("stage", "reason", "pages"),
            [(stage, reason, n) for (stage, reason), n in sorted(report.dead_lettered.items())],
        )
        if report.dead_lettered
        else "none",
        "## Timings (seconds)",
        _table(("stage", "s"), [(k, f"{v:.2f}") for k, v in report.timings_s.items()]),
        "## Slowest hosts",
        _table(
            ("host", "mean s/request", "requests"), [(h, f"{s:.3f}", n) for h, s, n in report.slowest_hosts]
        )
        if report.slowest_hosts
        else "none",
    ]
    return "\n\n".join(part for part in parts if part)


def index_markdown(report: IndexReport, topic: str, target: str) -> str:
    """Indexed, dead-lettered and the lag left per partition by one indexing run."""
    return "\n\n".join(
        [
            f"# Indexing `{topic}` into `{target}`",
            _table(
                ("count", "value"),
                [
                    ("indexed", report.indexed),
                    ("dead-lettered", report.dead_lettered),
                    ("elapsed s", f"{report.elapsed_s:.1f}"),
                    ("documents/s", f"{report.docs_per_s:.1f}"),
                    ("total lag", sum(report.lag.values())),
                ],
            ),
            "## Lag per partition",
            _table(("partition", "lag"), sorted(report.lag.items()))
            if report.lag
            else "no partitions assigned",
        ]
    )
