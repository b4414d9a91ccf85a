"""Every way ingestion can fail, and what happens then: one table, read before the code.

As in ``indexing/failure_policy.py``: a failure of one page (unfetchable, not an article, an invalid
or oversized event) must not stop the run, so the page is dead-lettered with the reason and counted
once; a failure of Kafka must never turn an article into "seen" without Kafka's acknowledgement, so
the article is released for the next run and the run fails with what to do next.
``verdict`` applies the run-level rows to a finished run's report.
"""

from __future__ import annotations

from enum import StrEnum
from types import MappingProxyType

from ingest.report import RunReport

KAFKA_HINT = "Start it with `newsflow stack up` or set NEWSFLOW_KAFKA_BOOTSTRAP, then run again."


class Failure(StrEnum):
    SOURCE_UNREADABLE = "source_unreadable"  # feed/sitemap/list/archive missing or malformed
    FETCH_TRANSIENT = "fetch_transient"  # timeout, connection error, 429, 5xx
    PAGE_REFUSED = "page_refused"  # 4xx, robots.txt, SSRF guard, too large, not HTML
    NOT_AN_ARTICLE = "not_an_article"  # extraction/enrichment found no article or failed
    WORKER_CRASHED = "worker_crashed"  # a build worker died (native crash, out of memory)
    EVENT_INVALID = "event_invalid"  # the event does not match its JSON Schema
    EVENT_TOO_LARGE = "event_too_large"  # above the topic's message size limit
    EVENT_UNACKNOWLEDGED = "event_unacknowledged"  # Kafka did not acknowledge an article in time
    DEAD_LETTER_UNACKNOWLEDGED = "dead_letter_unacknowledged"  # Kafka did not acknowledge a letter
    KAFKA_UNREACHABLE = "kafka_unreachable"  # the broker does not answer at the start of a run
    STOPPED = "stopped"  # SIGTERM: the batches not started are left


class Action(StrEnum):
    RETRY_THEN_DEAD_LETTER = "retry_then_dead_letter"  # retried with backoff, then dead-lettered
    DEAD_LETTER = "dead_letter"  # to articles.dlq with the reason; the run goes on
    RELEASE_AND_FAIL = "release_and_fail"  # not seen (the next run publishes it); the run fails
    FAIL = "fail"  # the run ends FAILED with what to do next
    COUNT_NOT_PROCESSED = "count_not_processed"  # counted as not processed; the next run takes it


POLICY: MappingProxyType[Failure, Action] = MappingProxyType(
    {
        Failure.SOURCE_UNREADABLE: Action.DEAD_LETTER,
        Failure.FETCH_TRANSIENT: Action.RETRY_THEN_DEAD_LETTER,
        Failure.PAGE_REFUSED: Action.DEAD_LETTER,
        Failure.NOT_AN_ARTICLE: Action.DEAD_LETTER,
        Failure.WORKER_CRASHED: Action.RETRY_THEN_DEAD_LETTER,
        Failure.EVENT_INVALID: Action.DEAD_LETTER,
        Failure.EVENT_TOO_LARGE: Action.DEAD_LETTER,
        Failure.EVENT_UNACKNOWLEDGED: Action.RELEASE_AND_FAIL,
        Failure.DEAD_LETTER_UNACKNOWLEDGED: Action.FAIL,
        Failure.KAFKA_UNREACHABLE: Action.FAIL,
        Failure.STOPPED: Action.COUNT_NOT_PROCESSED,
    }
)


class RunFailed(RuntimeError):
    """A finished run broke a run-level row of the table; the message says what to do."""


class KafkaUnavailable(RunFailed):
    """Kafka cannot be reached or did not acknowledge: nothing unacknowledged counts as published."""


def verdict(report: RunReport) -> RunFailed | None:
    """What failed a finished run (None: it completed), by the table's run-level rows."""
    name = report.source
    if not report.balanced():
        return RunFailed(
            f"{name}: counts do not balance ({report.discovered} discovered, "
            f"{report.accounted} accounted for); see the report"
        )
    if report.dlq_failed:
        return KafkaUnavailable(
            f"{name}: Kafka did not acknowledge {report.dlq_failed} dead letters (dlq_failed); the next run "
            f"reads the source again and re-sends them. Check `newsflow stack status` and the broker log."
        )
    if report.not_processed and not report.stopped:
        return KafkaUnavailable(
            f"{name}: Kafka did not acknowledge {report.not_processed} messages in time; they will "
            f"be published by the next run. Check `newsflow stack status` and the broker log."
        )
    return None
