"""The guarded, polite HTTP client: URL -> ``RawPage`` (articles) or ``Document`` (feeds, sitemaps).

Every hop of a request (the first and each redirect, followed here by hand) goes through the same
checks in the same order: SSRF guard -> robots.txt -> per-host politeness slot -> GET with
timeouts and a byte cap. Failures come back as a ``DeadLetter`` (stage ``ssrf``, ``robots`` or
``fetch``) after the retry policy of ``retry.py``; nothing raises out of ``fetch_page``.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import urljoin, urlsplit

import aiohttp

from ingest.fetch.politeness import HostGate, parse_retry_after
from ingest.fetch.retry import backoff_s, is_retryable_status
from ingest.fetch.robots import MAX_ROBOTS_BYTES, RobotsCache
from ingest.fetch.ssrf import AllowList, GuardedResolver, SsrfRefused, check_url
from ingest.fetch.validators import Validators
from ingest.page import Hints, RawPage
from ingest.run_log import get_logger
from schemas.dead_letter import DeadLetter, Stage
from schemas.settings import Settings

log = get_logger(__name__)

# Content types we accept as article pages; anything else is not worth extracting.
ARTICLE_CONTENT_TYPES = frozenset({"text/html", "application/xhtml+xml"})

# Reading in 64 KiB chunks: a few syscalls per page, and the byte cap is overshot by one chunk at most.
READ_CHUNK_BYTES = 64 * 1024

# The HTTP client is aiohttp (C-accelerated HTTP/1.1 parser): ~0.4 ms of CPU per ~150 KB page here,
# against ~1.3-1.6 ms for httpx + httpcore, whose fetching took ~15 s of CPU per 10,000 pages from the
# NER cores in the end-to-end benchmark (docs/benchmarks.md). News sites serve HTTP/1.1 to crawlers
# anyway; no proxies from the environment (the SSRF guard checks the address we connect to) and no
# cookie jar (pages are fetched anonymously).


@dataclass(frozen=True)
class Document:
    """A feed or sitemap body, with the validators to store once its items are safely published."""

    url: str
    body: bytes
    validators: Validators


@dataclass(frozen=True)
class NotModified:
    """304: the feed/sitemap did not change since the stored validators: no work."""

    url: str


@dataclass
class HostStats:
    requests: int = 0
    seconds: float = 0.0


@dataclass(frozen=True)
class _Failure:
    stage: Stage
    reason: str
    detail: str
    retryable: bool = False
    retry_after_s: float | None = None


@dataclass(frozen=True)
class _Response:
    url: str
    status: int
    headers: Mapping[str, str]
    body: bytes


@dataclass
class _Attempt:
    """One logical request: what to send, what to accept."""

    max_bytes: int
    check_robots: bool
    article: bool  # enforce ARTICLE_CONTENT_TYPES
    headers: dict[str, str] = field(default_factory=dict)


def content_type_of(headers: Mapping[str, str]) -> str | None:
    value = headers.get("content-type")
    return value.split(";", 1)[0].strip().lower() if value else None


class Fetcher:
    """Owns the HTTP client, the robots cache and the host gate for one run; use ``async with``."""

    def __init__(self, settings: Settings) -> None:
        self._s = settings
        self._allow = AllowList.parse(settings.fetch_allow_hosts)
        self._session: aiohttp.ClientSession | None = None  # made in __aenter__, on the fetch loop
        self._gate = HostGate(
            settings.fetch_per_host_concurrency,
            settings.fetch_min_delay_ms / 1000.0,
            settings.fetch_max_host_delay_s,
        )
        self._robots = RobotsCache(
            self._fetch_robots,
            settings.fetch_user_agent,
            settings.robots_ttl_s,
            settings.robots_error_retry_s,
        )
        self._global = asyncio.Semaphore(settings.fetch_global_concurrency)
        self.host_stats: dict[str, HostStats] = {}

    async def __aenter__(self) -> Fetcher:
        s = self._s
        connector = aiohttp.TCPConnector(
            limit=s.fetch_global_concurrency,  # per host: our own HostGate
            resolver=GuardedResolver(self._allow),  # the SSRF check again, on the address connected to
        )
        self._session = aiohttp.ClientSession(
            connector=connector,
            headers={"User-Agent": s.fetch_user_agent},
            timeout=aiohttp.ClientTimeout(
                sock_connect=s.fetch_connect_timeout_s, sock_read=s.fetch_read_timeout_s
            ),
            cookie_jar=aiohttp.DummyCookieJar(),
            trust_env=False,
        )
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self._session is not None:
            await self._session.close()

    async def fetch_page(
        self, url: str, source_name: str, hints: Hints | None = None
    ) -> RawPage | DeadLetter:
        """An article page, or why not. Never raises for network or site problems."""
        attempt = _Attempt(max_bytes=self._s.fetch_max_page_bytes, check_robots=True, article=True)
        result = await self._with_retries(url, attempt)
        if isinstance(result, _Failure):
            return self._dead_letter(url, source_name, result)
        return RawPage(
            url=result.url,
            body=result.body,
            fetched_at=datetime.now(UTC),
            source_name=source_name,
            content_type=result.headers.get("content-type"),
            hints=hints or Hints(),
        )

    async def fetch_document(
        self, url: str, source_name: str, validators: Validators | None = None
    ) -> Document | NotModified | DeadLetter:
        """A feed or sitemap, conditionally on ``validators`` (a 304 returns ``NotModified``)."""
        headers = validators.request_headers() if validators else {}
        attempt = _Attempt(
            self._s.fetch_max_document_bytes, check_robots=True, article=False, headers=headers
        )
        result = await self._with_retries(url, attempt)
        if isinstance(result, _Failure):
            return self._dead_letter(url, source_name, result)
        if result.status == 304:
            return NotModified(url)
        new = Validators(result.headers.get("etag"), result.headers.get("last-modified"))
        return Document(result.url, result.body, new)

    def _dead_letter(self, url: str, source_name: str, failure: _Failure) -> DeadLetter:
        return DeadLetter(
            url=url, source=source_name, stage=failure.stage, reason=failure.reason, detail=failure.detail
        )

    async def _with_retries(self, url: str, attempt: _Attempt) -> _Response | _Failure:
        outcome: _Response | _Failure = _Failure("fetch", "not_attempted", url)
        for number in range(self._s.fetch_max_retries + 1):
            outcome = await self._follow(url, attempt)
            if isinstance(outcome, _Response) or not outcome.retryable:
                return outcome
            if number == self._s.fetch_max_retries:
                break
            log.info("retrying %s after %s (attempt %d)", url, outcome.reason, number + 1)
            host = urlsplit(url).hostname or ""
            if outcome.retry_after_s is not None:
                self._gate.retry_after(host, outcome.retry_after_s)  # the gate makes the next slot wait
            else:
                await asyncio.sleep(
                    backoff_s(number, self._s.fetch_backoff_base_ms, self._s.fetch_backoff_max_ms)
                )
        return outcome

    async def _follow(self, url: str, attempt: _Attempt) -> _Response | _Failure:
        """One attempt, following up to ``fetch_max_redirects`` redirects, each hop re-checked."""
        for _hop in range(self._s.fetch_max_redirects + 1):
            refused = await self._admit(url, attempt.check_robots)
            if refused is not None:
                return refused
            outcome = await self._get(url, attempt)
            if isinstance(outcome, _Failure) or outcome.status not in (301, 302, 303, 307, 308):
                return outcome
            location = outcome.headers.get("location")
            if not location:
                return _Failure("fetch", "redirect_without_location", f"{url}: HTTP {outcome.status}")
            url = urljoin(url, location)
        return _Failure("fetch", "too_many_redirects", f"more than {self._s.fetch_max_redirects} hops: {url}")

    async def _admit(self, url: str, check_robots: bool) -> _Failure | None:
        try:
            await check_url(url, self._allow)
        except SsrfRefused as exc:
            return _Failure("ssrf", exc.reason, exc.detail)
        except OSError as exc:
            return _Failure("fetch", "dns_error", f"{url}: {exc}", retryable=True)
        if not check_robots:
            return None
        verdict = await self._robots.check(url)
        host = urlsplit(url).hostname or ""
        self._gate.set_crawl_delay(host, verdict.crawl_delay_s)
        if not verdict.allowed:
            return _Failure("robots", verdict.reason or "disallowed", f"{url} ({self._robots.detail(url)})")
        return None

    async def _get(self, url: str, attempt: _Attempt) -> _Response | _Failure:
        host = urlsplit(url).hostname or ""
        async with self._global, self._gate.slot(host):
            started = time.perf_counter()
            try:
                async with asyncio.timeout(self._s.fetch_total_timeout_s):
                    return await self._stream(url, attempt)
            except TimeoutError as exc:  # aiohttp's connect/read timeouts are TimeoutErrors too
                return _Failure("fetch", "timeout", f"{url}: {type(exc).__name__}", retryable=True)
            except SsrfRefused as exc:  # the name resolved differently when connecting (DNS rebinding)
                return _Failure("ssrf", exc.reason, exc.detail)
            except aiohttp.ClientPayloadError as exc:  # a body that is not what its headers say
                return _Failure("fetch", "bad_body", f"{url}: {exc!r}")
            except (aiohttp.ClientError, OSError) as exc:
                return _Failure("fetch", "connection_error", f"{url}: {exc!r}", retryable=True)
            finally:
                stats = self.host_stats.setdefault(host, HostStats())
                stats.requests += 1
                stats.seconds += time.perf_counter() - started

    async def _stream(self, url: str, attempt: _Attempt) -> _Response | _Failure:
        assert self._session is not None, "use the Fetcher with `async with`"
        async with self._session.get(url, headers=attempt.headers, allow_redirects=False) as resp:
            status = resp.status
            if 300 <= status < 400:
                return _Response(url, status, resp.headers, b"")
            if status >= 400:
                retry_after = parse_retry_after(resp.headers.get("retry-after"))
                return _Failure(
                    "fetch",
                    f"http_status:{status}",
                    f"{url}: HTTP {status}",
                    retryable=is_retryable_status(status),
                    retry_after_s=retry_after,
                )
            ctype = content_type_of(resp.headers)
            if attempt.article and ctype is not None and ctype not in ARTICLE_CONTENT_TYPES:
                return _Failure("fetch", "content_type", f"{url}: {ctype} is not an HTML page")
            declared = resp.headers.get("content-length", "")
            if declared.isdigit() and int(declared) > attempt.max_bytes:
                return _Failure(
                    "fetch", "too_large", f"{url}: Content-Length {declared} > {attempt.max_bytes}"
                )
            chunks: list[bytes] = []
            size = 0
            async for chunk in resp.content.iter_chunked(READ_CHUNK_BYTES):
                size += len(chunk)
                if size > attempt.max_bytes:
                    return _Failure(
                        "fetch", "too_large", f"{url}: more than {attempt.max_bytes} bytes, stopped"
                    )
                chunks.append(chunk)
            return _Response(url, status, resp.headers, b"".join(chunks))

    async def _fetch_robots(self, url: str) -> tuple[int | None, bytes]:
        """robots.txt itself: SSRF-checked and polite, redirects followed, no retries."""
        outcome = await self._follow(
            url, _Attempt(max_bytes=MAX_ROBOTS_BYTES, check_robots=False, article=False)
        )
        if isinstance(outcome, _Response):
            return outcome.status, outcome.body
        if outcome.reason.startswith("http_status:"):
            return int(outcome.reason.split(":", 1)[1]), b""
        if outcome.stage == "fetch" and outcome.reason not in ("timeout", "connection_error", "dns_error"):
            return 404, b""  # too many redirects, too large: RFC 9309 treats as unavailable -> allow
        return None, b""
