"""Per-host politeness: at most N requests in flight and a minimum gap between request starts.

The gap is the larger of our own minimum delay and the host's robots.txt ``Crawl-delay``; a
``Retry-After`` answer pushes the host's next start further out. All waits are capped by
``max_delay_s`` so one host cannot stall a run.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime


@dataclass
class _HostState:
    semaphore: asyncio.Semaphore
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    next_start: float = 0.0  # monotonic seconds
    crawl_delay_s: float = 0.0


class HostGate:
    """Admits requests per host; use ``async with gate.slot(host):`` around each request."""

    def __init__(self, per_host_concurrency: int, min_delay_s: float, max_delay_s: float) -> None:
        self._per_host = per_host_concurrency
        self._min_delay_s = min_delay_s
        self._max_delay_s = max_delay_s
        self._hosts: dict[str, _HostState] = {}

    def _state(self, host: str) -> _HostState:
        state = self._hosts.get(host)
        if state is None:
            state = self._hosts[host] = _HostState(asyncio.Semaphore(self._per_host))
        return state

    def set_crawl_delay(self, host: str, seconds: float | None) -> None:
        """Honour robots.txt ``Crawl-delay`` (capped) for every later request to the host."""
        self._state(host).crawl_delay_s = min(max(seconds or 0.0, 0.0), self._max_delay_s)

    def retry_after(self, host: str, seconds: float) -> None:
        """The host asked us (429/503 ``Retry-After``) to wait before the next request."""
        state = self._state(host)
        wait_s = min(max(seconds, 0.0), self._max_delay_s)
        state.next_start = max(state.next_start, time.monotonic() + wait_s)

    def gap_s(self, host: str) -> float:
        return max(self._min_delay_s, self._state(host).crawl_delay_s)

    @asynccontextmanager
    async def slot(self, host: str) -> AsyncIterator[None]:
        state = self._state(host)
        async with state.semaphore:
            async with state.lock:  # starts are serialised so the gap holds between any two
                wait_s = state.next_start - time.monotonic()
                if wait_s > 0:
                    await asyncio.sleep(wait_s)
                state.next_start = time.monotonic() + self.gap_s(host)
            yield


def parse_retry_after(value: str | None, now_s: float | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (delta-seconds or an HTTP date), or None."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    now = time.time() if now_s is None else now_s
    return max(when.timestamp() - now, 0.0)
