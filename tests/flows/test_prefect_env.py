"""While the Prefect server is gone, its loggers say so in a line, not hundreds of traceback lines."""

from __future__ import annotations

import logging
import sys

import httpx

from flows.prefect_env import OutageLogFilter


def _record(name: str, msg: str, error: BaseException | None = None) -> logging.LogRecord:
    exc_info = (type(error), error, None) if error else None
    return logging.LogRecord(name, logging.ERROR, __file__, 1, msg, (), exc_info)


def test_a_lost_server_is_one_line_without_traceback_and_not_repeated() -> None:
    outage = OutageLogFilter()
    refused = httpx.ConnectError("[Errno 111] Connection refused")
    first = _record("prefect.flow_runs", "Encountered exception during execution", refused)
    assert outage.filter(first) and first.exc_info is None
    assert first.getMessage().endswith("(Prefect unreachable: [Errno 111] Connection refused)")
    assert not outage.filter(_record("prefect.flow_runs", "Encountered exception during execution", refused))
    events = _record("prefect._internal.concurrency", "Service %r failed to process item %r")
    events.args = ("EventsWorker", "Event(...)")
    assert outage.filter(events)
    assert not outage.filter(events)


def test_other_errors_keep_their_traceback() -> None:
    try:
        raise ValueError("a bug")
    except ValueError:
        record = logging.LogRecord(
            "prefect.flow_runs", logging.ERROR, __file__, 1, "boom", (), sys.exc_info()
        )
    assert OutageLogFilter().filter(record) and record.exc_info is not None
