"""The simulated site with faults a case can switch on: errors, stalls and cut bodies, and skewed dates."""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

from flows.sim_site import render
from flows.sim_site.corpus import EPOCH, OUTLET_LANGUAGE
from flows.sim_site.server import SimHandler, SimSite

# A stalled answer waits past the fetcher's 10 s read timeout (settings.fetch_read_timeout_s), so the
# request times out instead of just being slow.
STALL_S = 12.0
# Article requests are faulted in turn: two 5xx, one truncated body, one stall (the costliest).
FAULT_CYCLE = ("error", "error", "truncated", "stall")
# Clock skew: these offsets are applied, in turn, to every SKEW_EVERY-th page's dates (published and
# Last-Modified): a page dated a year ahead, one dated at the Unix epoch, one a few minutes ahead.
SKEW_EVERY = 5
SKEWS = (timedelta(days=400), datetime(1970, 1, 1, tzinfo=UTC), timedelta(minutes=3))
# Part k of n of the news sitemap (every n-th page from the k-th): one source per ingest worker, the same
# pages in all.
PART_SITEMAP = re.compile(r"^/sitemap-news-(\d+)-of-(\d+)\.xml$")


def part_sitemap_path(part: int, parts: int) -> str:
    """The path of part ``part`` (1-based) of ``parts`` of the news sitemap."""
    return f"/sitemap-news-{part}-of-{parts}.xml"


@dataclass
class FaultWindow:
    """Article requests number ``first`` .. ``first + count - 1`` (1-based, in arrival order) are faulted."""

    first: int
    count: int


class FaultySite(SimSite):
    """A :class:`SimSite` whose article pages can fail for a while (see :meth:`fail_window`)."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.window: FaultWindow | None = None
        self.article_requests = 0
        self.faults_served: dict[str, int] = {}
        self._fault_lock = threading.Lock()
        self._original_dates = {page.path: page.published_at for page in self.pages}

    def fail_window(self, window: FaultWindow | None) -> None:
        with self._fault_lock:
            self.window, self.article_requests, self.faults_served = window, 0, {}

    def fault_for(self, path: str) -> str | None:
        """The fault this article request gets, if any (counted and cycled under a lock)."""
        if path not in self.by_path:
            return None
        with self._fault_lock:
            self.article_requests += 1
            window = self.window
            if window is None or not window.first <= self.article_requests < window.first + window.count:
                return None
            fault = FAULT_CYCLE[(self.article_requests - window.first) % len(FAULT_CYCLE)]
            self.faults_served[fault] = self.faults_served.get(fault, 0) + 1
            return fault

    def skew_dates(self, on: bool) -> int:
        """Skew the dates of every SKEW_EVERY-th page (or restore them); returns how many pages changed."""
        now = datetime.now(UTC)
        skewed = 0
        for index, page in enumerate(self.pages):
            page.published_at = self._original_dates[page.path]
            if on and index % SKEW_EVERY == 0:
                skew = SKEWS[(index // SKEW_EVERY) % len(SKEWS)]
                page.published_at = skew if isinstance(skew, datetime) else now + skew
                skewed += 1
        return skewed


class _FaultyHandler(SimHandler):
    def handle(self) -> None:
        try:
            super().handle()
        except (ConnectionResetError, BrokenPipeError):  # the fetcher gave up on a stall: expected here
            self.close_connection = True

    @property
    def site(self) -> FaultySite:
        return self.server.site  # type: ignore[attr-defined]

    def _feed(self, path: str) -> tuple[bytes, str, datetime] | None:
        match = PART_SITEMAP.match(path)
        if match is None:
            return super()._feed(path)
        part, parts = int(match[1]), int(match[2])
        if not 1 <= part <= parts:
            return None
        pages = self.site.pages[part - 1 :: parts]
        modified = max((page.modified_at for page in pages), default=EPOCH)
        return render.news_sitemap(self.site.base_url, pages, OUTLET_LANGUAGE), "application/xml", modified

    def _route(self, path: str) -> None:
        fault = self.site.fault_for(urlsplit(path).path)
        if fault == "error":
            return self._send(503, b"<html><body>Service unavailable</body></html>", "text/html")
        if fault == "stall":
            self.site.stopping.wait(STALL_S)
        if fault == "truncated":
            body = self.site.by_path[path].body(self.site.base_url)
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body[: len(body) // 3])
            self.close_connection = True
            return None
        return super()._route(path)


FaultySite.handler_class = _FaultyHandler
