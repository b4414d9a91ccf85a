"""Point the Prefect client at the configured server before anything imports prefect."""

from __future__ import annotations

import os

from schemas.settings import Settings


def use_configured_server(settings: Settings) -> None:
    """``PREFECT_API_URL`` from ``NEWSFLOW_PREFECT_URL`` unless the user set it explicitly."""
    os.environ.setdefault("PREFECT_API_URL", settings.api_url)
    # Results of newsflow tasks are small counts; page bytes are never persisted (see flows/).
    os.environ.setdefault("PREFECT_RESULTS_PERSIST_BY_DEFAULT", "false")
