"""The chaos suite: scripted faults during real ingestion + indexing runs, on a throwaway stack.

    .venv/bin/python -m bench.chaos [--limit 150] [--cases clean,es-kill,...] [--keep-stack]

Starts its own stack (Kafka 19092, Elasticsearch 19200, Prefect 19420, data under .newsflow/chaos or
--root) and the simulated site on 19765, runs the clean case first (the baseline every other case must
match), then each fault, and writes ``bench/results/chaos.json`` and the table in ``docs/reliability.md``.
The shared stack is never touched. The stack is stopped at the end unless it was already running or
``--keep-stack`` is given.
"""

from __future__ import annotations

import argparse
import json
from dataclasses import asdict
from pathlib import Path

from bench.chaos.cases import CASES, Case
from bench.chaos.harness import Baseline, Outcome, run_case
from bench.chaos.report import write_reliability_doc
from bench.chaos.site import FaultySite
from bench.chaos.stack import DEFAULT_ROOT, SITE_PORT, ChaosStack, LocalChaosStack, chaos_settings
from flows.sim_site import load_pages

RESULTS_FILE = Path(__file__).resolve().parents[1] / "results" / "chaos.json"
# ~150 article pages: enough for a fault to land mid-run with as much before as after, short enough
# for the whole suite (9 cases, up to 3 runs each) on the shared 2-core machine.
DEFAULT_PAGES = 150


def run_suite(stack: ChaosStack, cases: list[Case], pages: int, root: Path) -> list[Outcome]:
    """The clean case, then each other case against its baseline (one simulated site throughout)."""
    outcomes: list[Outcome] = []
    with FaultySite(load_pages(pages), port=SITE_PORT) as site:
        clean = run_case(stack, site, root, "clean", CASES[0].fault, CASES[0].script, None)
        outcomes.append(clean)
        print(_line(clean), flush=True)
        if not clean.passed or clean.searchable == 0:
            raise RuntimeError(f"the clean run did not work, nothing to compare with: {_line(clean)}")
        baseline = Baseline(urls=set(clean.urls))
        for case in cases:
            if case.name == "clean":
                continue
            outcome = run_case(stack, site, root, case.name, case.fault, case.script, baseline)
            outcomes.append(outcome)
            print(_line(outcome), flush=True)
    return outcomes


def _line(outcome: Outcome) -> str:
    verdict = "PASS" if outcome.passed else "FAIL"
    return (
        f"{verdict} {outcome.case}: runs {outcome.runs}, expected {outcome.expected}, searchable "
        f"{outcome.searchable}, duplicated {outcome.duplicated}, dead-lettered {outcome.dead_lettered}, "
        f"lost {outcome.lost}, states {outcome.run_states}, {'; '.join(outcome.notes)}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=DEFAULT_PAGES, help="corpus pages the site serves")
    parser.add_argument("--cases", default="", help="comma-separated case names (default: all)")
    parser.add_argument("--root", type=Path, default=DEFAULT_ROOT, help="the throwaway stack's directory")
    parser.add_argument("--keep-stack", action="store_true", help="leave the chaos stack running")
    args = parser.parse_args()
    wanted = set(filter(None, args.cases.split(",")))
    cases = [case for case in CASES if not wanted or case.name in wanted]
    stack = LocalChaosStack(chaos_settings(args.root))
    stack.up()
    try:
        outcomes = run_suite(stack, cases, args.limit, args.root)
    finally:
        if stack.started_here and not args.keep_stack:
            stack.down()
    RESULTS_FILE.parent.mkdir(exist_ok=True)
    previous = json.loads(RESULTS_FILE.read_text())["cases"] if RESULTS_FILE.exists() else []
    rows = {row["case"]: row for row in previous}  # a partial re-run replaces its own cases only
    rows |= {
        o.case: {k: v for k, v in asdict(o).items() if k != "urls"} | {"passed": o.passed} for o in outcomes
    }
    RESULTS_FILE.write_text(json.dumps({"pages": args.limit, "cases": list(rows.values())}, indent=2) + "\n")
    write_reliability_doc(outcomes, args.limit)


if __name__ == "__main__":
    main()
