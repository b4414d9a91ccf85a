"""The run-level rows of the ingest failure policy, applied to finished reports."""

from __future__ import annotations

from flows.reports import ingest_markdown
from ingest.failure_policy import POLICY, Action, Failure, KafkaUnavailable, RunFailed, verdict
from ingest.report import RunReport


def test_every_failure_has_an_action() -> None:
    assert set(POLICY) == set(Failure)
    assert POLICY[Failure.EVENT_UNACKNOWLEDGED] is Action.RELEASE_AND_FAIL


def test_a_balanced_complete_run_passes() -> None:
    report = RunReport("sim", discovered=3, published=2, unchanged=1)
    assert verdict(report) is None


def test_dead_letters_kafka_refused_fail_the_run_and_show_in_the_artifact() -> None:
    report = RunReport("sim", discovered=2, published=1, dlq_failed=1)
    report.dead_lettered[("fetch", "http_status:404")] += 1
    failure = verdict(report)
    assert isinstance(failure, KafkaUnavailable) and "dlq_failed" in str(failure)
    assert "| dead letters not acknowledged by Kafka (dlq_failed) | 1 |" in ingest_markdown(report)
    assert report.summary()["dlq_failed"] == 1


def test_unacknowledged_events_fail_the_run_unless_it_was_stopped() -> None:
    report = RunReport("sim", discovered=2, published=1, not_processed=1)
    assert isinstance(verdict(report), KafkaUnavailable)
    report.stopped = True
    assert verdict(report) is None


def test_a_run_that_does_not_balance_fails() -> None:
    failure = verdict(RunReport("sim", discovered=2, published=1))
    assert isinstance(failure, RunFailed) and "do not balance" in str(failure)
