"""robots.txt: fetched once per host, cached with a TTL, obeyed for our user agent.

Failure policy (RFC 9309 §2.3.1): a 4xx on robots.txt means "no rules" (allow all); a 5xx, a
timeout or a connection error means "assume everything is disallowed" for ``error_retry_s``,
then we ask again. Rules are matched with ``urllib.robotparser`` (first matching rule wins, not
the longest match: fine for the Disallow-prefix rules news sites use).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from urllib.parse import urlsplit
from urllib.robotparser import RobotFileParser

# (status, body) of GET /robots.txt after redirects; status None = timeout or connection error.
RobotsFetch = Callable[[str], Awaitable[tuple[int | None, bytes]]]

# robots.txt files beyond 500 KiB may be ignored past that point (RFC 9309 §2.5).
MAX_ROBOTS_BYTES = 500 * 1024


@dataclass(frozen=True)
class RobotsVerdict:
    allowed: bool
    reason: str | None = None  # "disallowed" | "robots_unavailable" when not allowed
    crawl_delay_s: float | None = None


@dataclass
class _Entry:
    parser: RobotFileParser | None  # None = rules unknown (robots unavailable): disallow all
    expires_at: float
    detail: str


def robots_url(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}/robots.txt"


def user_agent_token(user_agent: str) -> str:
    """The product token robots.txt groups are matched against: ``newsflow/0.1 (...)`` -> ``newsflow``."""
    return user_agent.split("/", 1)[0].strip().lower()


class RobotsCache:
    """Answers "may we fetch this URL?"; one robots.txt request per host per TTL."""

    def __init__(
        self,
        fetch: RobotsFetch,
        user_agent: str,
        ttl_s: float,
        error_retry_s: float,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._fetch = fetch
        self._agent = user_agent_token(user_agent)
        self._ttl_s = ttl_s
        self._error_retry_s = error_retry_s
        self._clock = clock
        self._entries: dict[str, _Entry] = {}
        self._locks: dict[str, asyncio.Lock] = {}

    async def check(self, url: str) -> RobotsVerdict:
        entry = await self._entry(robots_url(url))
        if entry.parser is None:
            return RobotsVerdict(False, "robots_unavailable")
        delay = entry.parser.crawl_delay(self._agent)
        delay_s = float(delay) if delay is not None else None
        if entry.parser.can_fetch(self._agent, url):
            return RobotsVerdict(True, None, delay_s)
        return RobotsVerdict(False, "disallowed", delay_s)

    def detail(self, url: str) -> str:
        entry = self._entries.get(robots_url(url))
        return entry.detail if entry else ""

    async def _entry(self, key: str) -> _Entry:
        lock = self._locks.setdefault(key, asyncio.Lock())
        async with lock:  # one fetch per host even when many pages of it arrive at once
            entry = self._entries.get(key)
            if entry is None or entry.expires_at <= self._clock():
                entry = self._entries[key] = await self._load(key)
            return entry

    async def _load(self, key: str) -> _Entry:
        status, body = await self._fetch(key)
        now = self._clock()
        if status is None or status >= 500:
            why = "timeout or connection error" if status is None else f"HTTP {status}"
            detail = f"{key}: {why}; disallowing the host for {self._error_retry_s:.0f} s"
            return _Entry(None, now + self._error_retry_s, detail)
        parser = RobotFileParser(key)
        if 400 <= status < 500:
            parser.allow_all = True  # no robots.txt: everything allowed
            return _Entry(parser, now + self._ttl_s, f"{key}: HTTP {status}, no rules")
        text = body[:MAX_ROBOTS_BYTES].decode("utf-8", errors="replace")
        parser.parse(text.splitlines())
        return _Entry(parser, now + self._ttl_s, f"{key}: HTTP {status}")
