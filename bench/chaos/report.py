"""The chaos results table, written between markers in docs/reliability.md (the prose around it stays)."""

from __future__ import annotations

import platform
from datetime import UTC, datetime
from pathlib import Path

from bench.chaos.harness import Outcome

DOC = Path(__file__).resolve().parents[2] / "docs" / "reliability.md"
BEGIN = "<!-- chaos-table:begin (written by python -m bench.chaos) -->"
END = "<!-- chaos-table:end -->"
HEADER = (
    "| fault | result | runs | expected | searchable | duplicated | dead-lettered | lost "
    "| index DLQ | recovery | Prefect run states | notes |"
)


def _row(o: Outcome) -> str:
    recovery = f"{o.recovery_s:.0f} s" if o.recovery_s is not None else "-"
    states = ", ".join(state.lower() for state in o.run_states) or "-"
    notes = "; ".join(o.notes).replace("|", "/") or "-"
    return (
        f"| {o.case}: {o.fault} | {'pass' if o.passed else '**FAIL**'} | {o.runs} | {o.expected} "
        f"| {o.searchable} | {o.duplicated} | {o.dead_lettered} | {o.lost} | {o.index_dead_lettered} "
        f"| {recovery} | {states} | {notes} |"
    )


def _case_of(row: str) -> str:
    return row.removeprefix("| ").split(":", 1)[0]


def table(outcomes: list[Outcome], pages: int, previous: str = "") -> str:
    """The table of ``outcomes``; rows of ``previous`` (an older table) for cases not run again are kept,
    with the line saying when they were measured."""
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    rows = {
        _case_of(line): line for line in previous.splitlines() if line.startswith("| ") and "---" not in line
    }
    rows.pop(_case_of(HEADER), None)
    measured = [line for line in previous.splitlines() if line.startswith("Measured")]
    rows |= {o.case: _row(o) for o in outcomes}
    cases = ", ".join(o.case for o in outcomes)
    lines = [
        *measured,
        f"Measured {when} on {platform.node()} ({pages} corpus pages served; single-node stack): {cases}.",
        "",
        HEADER,
        "|" + "---|" * (HEADER.count("|") - 1),
        *rows.values(),
    ]
    return "\n".join(lines)


def write_reliability_doc(outcomes: list[Outcome], pages: int, doc: Path = DOC) -> None:
    """Update the table between the markers (rows of cases run again are replaced), or append it."""
    text = doc.read_text() if doc.exists() else "# Reliability\n"
    if BEGIN in text and END in text:
        head, rest = text.split(BEGIN, 1)
        previous, tail = rest.split(END, 1)
        text = head + f"{BEGIN}\n{table(outcomes, pages, previous)}\n{END}" + tail
    else:
        text = text.rstrip("\n") + f"\n\n{BEGIN}\n{table(outcomes, pages)}\n{END}\n"
    doc.write_text(text)
