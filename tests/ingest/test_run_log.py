"""Ingestion's log: every line names its run and source, on any thread of the run; quiet by default."""

from __future__ import annotations

import logging

import pytest

from ingest import run_log
from ingest.threads import LoopThread

log = run_log.get_logger("ingest.test")


async def _log_on_the_loop() -> None:
    log.warning("from the fetch loop")


def test_every_line_names_the_run_and_source_even_on_the_fetch_thread(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO, logger="ingest")
    loop = LoopThread("fetch-test")
    try:
        with run_log.run_context("sim-news", "run42"):
            log.info("started")
            loop.call(_log_on_the_loop())
        log.info("after the run")
    finally:
        loop.close()
    assert [r.getMessage() for r in caplog.records] == [
        "[run=run42 source=sim-news] started",
        "[run=run42 source=sim-news] from the fetch loop",
        "[run=- source=-] after the run",
    ]
    assert [(r.run_id, r.source) for r in caplog.records][:2] == [("run42", "sim-news")] * 2


def test_quiet_by_default_and_everything_with_verbose() -> None:
    logger = logging.getLogger("ingest")
    try:
        run_log.configure(verbose=False)
        assert not logger.isEnabledFor(logging.INFO) and logger.isEnabledFor(logging.WARNING)
        run_log.configure(verbose=True)
        assert logger.isEnabledFor(logging.INFO)
        assert len(logger.handlers) == 1  # configuring twice adds no second handler
    finally:
        logger.handlers.clear()
        logger.propagate = True
        logger.setLevel(logging.NOTSET)
