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


def table(outcomes: list[Outcome], pages: int) -> str:
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        f"Measured {when} on {platform.node()} ({pages} corpus pages served; single-node stack).",
        "",
        HEADER,
        "|" + "---|" * (HEADER.count("|") - 1),
        *(_row(o) for o in outcomes),
    ]
    return "\n".join(lines)


def write_reliability_doc(outcomes: list[Outcome], pages: int, doc: Path = DOC) -> None:
    """Replace the table between the markers (or append it with the markers if they are missing)."""
    text = doc.read_text() if doc.exists() else "# Reliability\n"
    block = f"{BEGIN}\n{table(outcomes, pages)}\n{END}"
    if BEGIN in text and END in text:
        head, rest = text.split(BEGIN, 1)
        text = head + block + rest.split(END, 1)[1]
    else:
        text = text.rstrip("\n") + "\n\n" + block + "\n"
    doc.write_text(text)
