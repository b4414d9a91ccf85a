"""Point the Prefect client at the configured server before anything imports prefect."""

from __future__ import annotations

import logging
import os
import time

import httpx

from schemas.settings import Settings

# Prefect's minimum heartbeat interval (``prefect.flow_engine.MINIMUM_HEARTBEAT_INTERVAL``); a
# flow run that misses three is CRASHED by the automation in ``flows/zombies.py``.
HEARTBEAT_S = 30
# A healthy local server answers its health check in milliseconds; 2 s tolerates a busy machine.
HEALTH_TIMEOUT_S = 2.0
# While a run goes on, the server is asked again at most this often (one cheap GET per batch or so).
RECHECK_S = 10.0
# While the server is away, one line per logger every 5 minutes says so (Prefect would log one per
# heartbeat, event and log batch).
OUTAGE_REPEAT_S = 300.0
# Where Prefect reports a lost server: the flow engine, the events client and its worker service.
OUTAGE_LOGGERS = ("prefect.flow_runs", "prefect.events.clients", "prefect._internal.concurrency")


def use_configured_server(settings: Settings) -> None:
    """``PREFECT_API_URL`` from ``NEWSFLOW_PREFECT_URL`` unless the user set it explicitly."""
    os.environ.setdefault("PREFECT_API_URL", settings.api_url)
    # Results of newsflow tasks are small counts; page bytes are never persisted (see flows/).
    os.environ.setdefault("PREFECT_RESULTS_PERSIST_BY_DEFAULT", "false")
    # Heartbeats let the server mark a run whose process died CRASHED (``flows/zombies.py``).
    os.environ.setdefault("PREFECT_FLOWS_HEARTBEAT_FREQUENCY", str(HEARTBEAT_S))
    quiet_outages()


def prefect_answers(settings: Settings) -> bool:
    """The Prefect server answers its health check within ``HEALTH_TIMEOUT_S``."""
    try:
        url = os.environ.get("PREFECT_API_URL", settings.api_url)  # what the Prefect client will use
        return httpx.get(f"{url}/health", timeout=HEALTH_TIMEOUT_S).status_code == httpx.codes.OK
    except httpx.HTTPError:
        return False


class ServerWatch:
    """Whether the Prefect server answers, asked again at most every ``RECHECK_S``: a run whose server
    went away carries on without it (stages called directly, the summary logged, not recorded)."""

    def __init__(self, settings: Settings) -> None:
        self._settings = settings
        self._checked_at = float("-inf")
        self._up = True

    def up(self) -> bool:
        now = time.monotonic()
        if now - self._checked_at >= RECHECK_S:
            self._up, self._checked_at = prefect_answers(self._settings), now
        return self._up


class OutageLogFilter(logging.Filter):
    """While the Prefect server is unreachable, Prefect's own loggers say so in a line, not a
    traceback, and repeat it at most every ``OUTAGE_REPEAT_S`` (not once per event or heartbeat)."""

    def __init__(self) -> None:
        super().__init__()
        self._last_shown: dict[str, float] = {}

    def filter(self, record: logging.LogRecord) -> bool:
        error = record.exc_info[1] if record.exc_info else None
        text = record.getMessage()
        connection_lost = isinstance(error, httpx.TransportError) or "Unable to connect" in text
        if not connection_lost and not text.startswith("Service 'EventsWorker' failed"):
            return True
        if error is not None:
            record.exc_info, record.exc_text = None, None
            record.msg, record.args = f"{text} (Prefect unreachable: {error})", ()
        now = time.monotonic()
        if now - self._last_shown.get(record.name, float("-inf")) < OUTAGE_REPEAT_S:
            return False
        self._last_shown[record.name] = now
        return True


def quiet_outages() -> None:
    """Install ``OutageLogFilter`` on the Prefect loggers that report a lost server."""
    outage = OutageLogFilter()
    for name in OUTAGE_LOGGERS:
        logging.getLogger(name).addFilter(outage)
