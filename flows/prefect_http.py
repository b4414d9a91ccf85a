"""Calls to the Prefect server's REST API, with the retry policy of Prefect's own client.

The server answers 503 for errors a client may retry
(``prefect.server.api.server.is_client_retryable_exception``: SQLite busy or locked while another request
writes, a dropped database connection) and 429 when it sheds load; Prefect's client retries both with
backoff, and so does every raw call newsflow makes (the demo's run-and-follow, the zombie sweep). The demo
on a fresh clone once stopped on such a 503 from ``create_flow_run`` right after the stack came up.
Anything else is raised at once.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import httpx

RETRY_STATUSES = frozenset({429, 502, 503})
"""Answers that mean "busy, ask again" (Prefect's client retries the same set)."""
MAX_RETRIES = 5
"""Prefect's client default (PREFECT_CLIENT_MAX_RETRIES)."""
BACKOFF_S = 0.5
"""First wait; it doubles per retry (0.5 + 1 + 2 + 4 + 8 = 15.5 s at most): a busy SQLite write is over in
well under a second, a server restarting under load within ~10 s."""
MAX_WAIT_S = 10.0
"""Longest single wait, also for a server's Retry-After."""


def prefect_request(
    method: str,
    url: str,
    *,
    timeout: float,
    client: httpx.Client | None = None,
    sleep: Callable[[float], None] = time.sleep,
    **kwargs: Any,
) -> httpx.Response:
    """``method url``, retried on RETRY_STATUSES up to MAX_RETRIES times; raises ``httpx.HTTPStatusError``
    for any other error answer, or for the last busy one."""
    send = client.request if client is not None else httpx.request
    for attempt in range(MAX_RETRIES + 1):
        response = send(method, url, timeout=timeout, **kwargs)
        if response.status_code not in RETRY_STATUSES or attempt == MAX_RETRIES:
            break
        sleep(retry_wait(response, attempt))
    response.raise_for_status()
    return response


def retry_wait(response: httpx.Response, attempt: int) -> float:
    """Seconds before retry ``attempt + 1``: the server's Retry-After (in seconds) if it gives one, else
    exponential backoff; never above MAX_WAIT_S."""
    try:
        after = float(response.headers.get("retry-after", ""))
    except ValueError:
        after = BACKOFF_S * 2**attempt
    return min(max(after, 0.0), MAX_WAIT_S)
