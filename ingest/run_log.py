"""Logging in ingestion: one logger per module, each line carrying the run id and the source.

``log = get_logger(__name__)`` in a module; ``run_context`` (entered by ``SourceRun``) names the run
for every line logged meanwhile, on any thread the run starts (context variables travel with
``run_coroutine_threadsafe`` and Prefect's task threads). Quiet by default: nothing below WARNING
is shown unless ``configure(verbose=True)`` (``newsflow ingest --verbose``).
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterator, MutableMapping
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

# (run id, source) of the run this thread works for.
_RUN: ContextVar[tuple[str, str] | None] = ContextVar("newsflow_ingest_run", default=None)
# A run id needs to tell concurrent runs of one machine apart in a log, not be globally unique.
RUN_ID_CHARS = 8
LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s %(message)s"


class RunLogger(logging.LoggerAdapter):  # type: ignore[type-arg]
    """Prefixes every message with ``[run=<id> source=<name>]``, also given as record fields."""

    def process(self, msg: Any, kwargs: MutableMapping[str, Any]) -> tuple[Any, MutableMapping[str, Any]]:
        run_id, source = _RUN.get() or ("-", "-")
        kwargs["extra"] = {"run_id": run_id, "source": source, **kwargs.get("extra", {})}
        return f"[run={run_id} source={source}] {msg}", kwargs


def get_logger(name: str) -> RunLogger:
    return RunLogger(logging.getLogger(name), {})


@contextmanager
def run_context(source: str, run_id: str | None = None) -> Iterator[str]:
    """Every line logged inside names this run (``run_id``: e.g. the Prefect flow run's, else new)."""
    run_id = run_id or uuid.uuid4().hex[:RUN_ID_CHARS]
    token = _RUN.set((run_id, source))
    try:
        yield run_id
    finally:
        _RUN.reset(token)


def configure(verbose: bool = False) -> None:
    """Show ingestion's log on stderr: warnings only, or everything a run does with ``verbose``."""
    logger = logging.getLogger("ingest")
    if not any(getattr(h, "newsflow", False) for h in logger.handlers):
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter(LOG_FORMAT))
        handler.newsflow = True  # type: ignore[attr-defined]
        logger.addHandler(handler)
        logger.propagate = False
    logger.setLevel(logging.INFO if verbose else logging.WARNING)
