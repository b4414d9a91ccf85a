"""The chaos suite's fast cases (no service killed): a clean run, then the site failing for a while, on a
throwaway stack of their own (``bench/chaos/stack.py``); the full suite is ``python -m bench.chaos``."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from bench.chaos.cases import CASES
from bench.chaos.harness import Baseline, Outcome, run_case
from bench.chaos.site import FaultySite
from bench.chaos.stack import DEFAULT_ROOT, LocalChaosStack, chaos_settings
from flows.sim_site import load_pages

pytestmark = pytest.mark.chaos
# Enough pages for the site-fault window (40 % of the requests, from the 5th on) to hit pages with clean
# ones before and after; a run of 20 pages takes well under a minute, model loading included.
TEST_PAGES = 20


@pytest.fixture(scope="module")
def chaos() -> Iterator[tuple[LocalChaosStack, FaultySite, Path, Baseline]]:
    stack = LocalChaosStack(chaos_settings(DEFAULT_ROOT))
    stack.up()
    try:
        with FaultySite(load_pages(TEST_PAGES)) as site:
            clean = run_case(stack, site, DEFAULT_ROOT, "clean", "none", CASES[0].script, None)
            assert clean.passed and clean.searchable > 0, clean
            yield stack, site, DEFAULT_ROOT, Baseline(set(clean.urls))
    finally:
        if stack.started_here:
            stack.down()


def _assert_recovered(outcome: Outcome) -> None:
    assert outcome.lost == 0 and outcome.duplicated == 0, outcome
    assert outcome.searchable == outcome.expected, outcome
    assert "RUNNING" not in outcome.run_states and outcome.run_states, outcome
    assert outcome.passed, outcome


@pytest.mark.parametrize("name", [case.name for case in CASES if case.fast and case.name != "clean"])
def test_fast_chaos_case_ends_with_every_article_searchable_once(
    chaos: tuple[LocalChaosStack, FaultySite, Path, Baseline], name: str
) -> None:
    stack, site, root, baseline = chaos
    case = next(case for case in CASES if case.name == name)
    _assert_recovered(run_case(stack, site, root, case.name, case.fault, case.script, baseline))
