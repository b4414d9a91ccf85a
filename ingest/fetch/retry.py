"""Which fetch failures are retried, and how long to wait: exponential backoff with full jitter.

Full jitter (sleep uniformly in [0, min(cap, base * 2**attempt)]) spreads the retries of many
workers hitting the same failing host instead of synchronising them (AWS architecture blog,
"Exponential Backoff And Jitter").
"""

from __future__ import annotations

import random

# Transient by nature: the same request may succeed later. Other 4xx never will.
RETRYABLE_STATUS = frozenset({408, 425, 429, 500, 502, 503, 504})


def is_retryable_status(status: int) -> bool:
    return status in RETRYABLE_STATUS or 500 <= status < 600


# Fetch failures that may not happen on the next run either, once the retries of this one ran out: the
# host was down, slow or cut the connection (a body shorter than its Content-Length is a cut connection).
TRANSIENT_FETCH_REASONS = frozenset({"timeout", "connection_error", "dns_error", "bad_body"})


def is_transient(stage: str, reason: str) -> bool:
    """A dead letter the next run should try again: its source must not answer 304 to that run."""
    if stage != "fetch":
        return False
    status = reason.removeprefix("http_status:")
    return reason in TRANSIENT_FETCH_REASONS or (status != reason and is_retryable_status(int(status)))


def backoff_s(attempt: int, base_ms: int, max_ms: int, rng: random.Random | None = None) -> float:
    """Seconds to sleep before retry number ``attempt`` (0-based)."""
    ceiling_ms = min(max_ms, base_ms * (2**attempt))
    return (rng or random).uniform(0, ceiling_ms) / 1000.0
