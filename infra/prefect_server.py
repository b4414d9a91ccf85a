"""The Prefect 3 server from the installed ``prefect`` package: SQLite in the data dir, UI included."""

from __future__ import annotations

import sys
from pathlib import Path


def command(host: str, port: int) -> list[str]:
    """The argv running ``prefect server start`` in the foreground until SIGTERM."""
    prefect = Path(sys.executable).with_name("prefect")
    return [str(prefect), "server", "start", "--host", host, "--port", str(port)]


def environment(data_dir: Path, api_url: str) -> dict[str, str]:
    """Server settings: state under the data dir, no telemetry, the UI pointed at our API."""
    return {
        "PREFECT_HOME": str(data_dir),
        "PREFECT_API_DATABASE_CONNECTION_URL": f"sqlite+aiosqlite:///{data_dir / 'prefect.db'}",
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "PREFECT_UI_API_URL": api_url,
        "PREFECT_API_URL": api_url,
        "PREFECT_LOGGING_SERVER_LEVEL": "WARNING",
    }
