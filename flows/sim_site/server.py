"""The simulated news site: a threaded HTTP server on 127.0.0.1 serving corpus pages, feeds, sitemaps,
robots.txt and a set of bad pages. It records every request path, so tests can assert what was
never asked for (robots-disallowed pages, SSRF targets).
"""

from __future__ import annotations

import hashlib
import threading
from collections import Counter
from datetime import UTC, datetime
from email.utils import format_datetime, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from flows.sim_site import render
from flows.sim_site.corpus import EPOCH, OUTLET_LANGUAGE, OUTLETS, SimPage
from flows.sim_site.syndicate import SYNDICATION_OUTLETS

DISALLOWED_PREFIX = "/private/"
DISALLOWED_PAGE = "/private/members-only.html"
# Reached only through a redirect to 127.0.0.2 (loopback, but only 127.0.0.1 is allow-listed), where
# a decoy listener of the same site records requests: the SSRF guard must refuse the hop, so this
# path must never show up in the request log.
SSRF_LOCAL_TARGET = "/internal/admin"
# 50 MiB, generated on the fly in 64 KiB chunks (chunked encoding, no Content-Length): the
# fetcher must stop reading at its byte cap instead of buffering it all.
HUGE_PAGE_BYTES = 50 * 1024 * 1024
HUGE_CHUNK = b"<p>" + b"All work and no play makes a huge page. " * 1600 + b"</p>\n"

BAD_PATHS = (
    "/bad/error-500.html",
    "/bad/slow.html",
    "/bad/wrong-charset.html",
    "/bad/binary.html",
    "/bad/huge.html",
    "/bad/to-metadata.html",
    "/bad/to-loopback.html",
    "/bad/not-found.html",
    "/bad/image.html",
    "/bad/flaky.html",
    DISALLOWED_PAGE,
)
MALFORMED_FEED = "/bad/malformed.xml"
# What a correct fetcher does with each bad page: the dead-letter (stage, reason) it must produce.
FETCH_FATES = {
    "/bad/error-500.html": ("fetch", "http_status:500"),
    "/bad/not-found.html": ("fetch", "http_status:404"),
    "/bad/slow.html": ("fetch", "timeout"),
    "/bad/huge.html": ("fetch", "too_large"),
    "/bad/image.html": ("fetch", "content_type"),
    "/bad/to-metadata.html": ("ssrf", "private_address"),
    "/bad/to-loopback.html": ("ssrf", "private_address"),
    DISALLOWED_PAGE: ("robots", "disallowed"),
}


def _etag(body: bytes) -> str:
    return '"' + hashlib.sha1(body).hexdigest()[:20] + '"'


class SimSite:
    """Start with ``with SimSite(pages) as site:``; ``site.base_url`` is ``http://127.0.0.1:<port>``.

    ``handler_class`` is the request handler; a subclass may wrap its routes (``bench.chaos`` injects faults).
    """

    handler_class: type[BaseHTTPRequestHandler]

    def __init__(
        self, pages: list[SimPage], port: int = 0, slow_s: float = 10.0, crawl_delay_s: float | None = None
    ):
        self.pages = pages
        self.by_path = {p.path: p for p in pages}
        present = {p.outlet for p in pages}
        # The syndication outlets get feeds and sitemaps only when their pages are served (opt-in).
        self.outlets = (*OUTLETS, *(o for o in SYNDICATION_OUTLETS if o in present))
        self.slow_s = slow_s
        self.crawl_delay_s = crawl_delay_s
        self.requests: list[str] = []
        self._lock = threading.Lock()
        self._flaky_hits: Counter[str] = Counter()
        self.stopping = threading.Event()
        self._server = ThreadingHTTPServer(("127.0.0.1", port), self.handler_class)
        self._server.daemon_threads = True
        self._server.site = self  # type: ignore[attr-defined]
        self._decoy = ThreadingHTTPServer(("127.0.0.2", 0), self.handler_class)
        self._decoy.daemon_threads = True
        self._decoy.site = self  # type: ignore[attr-defined]
        self._threads = [
            threading.Thread(target=server.serve_forever, name="sim-site", daemon=True)
            for server in (self._server, self._decoy)
        ]
        self._charset_page = next((p for p in pages if p.outlet == "tagblatt"), pages[0] if pages else None)

    @property
    def port(self) -> int:
        return self._server.server_address[1]

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> SimSite:
        for thread in self._threads:
            thread.start()
        return self

    def stop(self) -> None:
        self.stopping.set()
        for server in (self._server, self._decoy):
            server.shutdown()
            server.server_close()

    def __enter__(self) -> SimSite:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def record(self, path: str) -> None:
        with self._lock:
            self.requests.append(path)

    def requested(self, path: str) -> int:
        with self._lock:
            return sum(1 for p in self.requests if urlsplit(p).path == path)

    def change(self, path: str) -> None:
        """Revise an article: its text gains an update sentence, its ETag and Last-Modified change."""
        self.by_path[path].version += 1

    def outlet_pages(self, outlet: str) -> list[SimPage]:
        return [p for p in self.pages if p.outlet == outlet]

    def flaky_hit(self, path: str) -> int:
        with self._lock:
            self._flaky_hits[path] += 1
            return self._flaky_hits[path]


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "SimNews/1.0"

    @property
    def site(self) -> SimSite:
        return self.server.site  # type: ignore[attr-defined]

    def log_message(self, format: str, *args: object) -> None:  # quiet: the request log is ours
        return

    def do_POST(self) -> None:
        self.site.record(self.path)
        parts = urlsplit(self.path)
        target = parse_qs(parts.query).get("path", [""])[0]
        if parts.path == "/_admin/change" and target in self.site.by_path:
            self.site.change(target)
            self._send(200, b"changed\n", "text/plain")
        else:
            self._send(404, b"no such page\n", "text/plain")

    def do_GET(self) -> None:
        self.site.record(self.path)
        try:
            self._route(urlsplit(self.path).path)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True

    def _route(self, path: str) -> None:
        site, base = self.site, self.site.base_url
        if path == "/robots.txt":
            delay = f"Crawl-delay: {site.crawl_delay_s}\n" if site.crawl_delay_s else ""
            body = f"User-agent: *\nDisallow: {DISALLOWED_PREFIX}\n{delay}".encode()
            return self._send(200, body, "text/plain")
        if path in site.by_path:
            page = site.by_path[path]
            return self._conditional(page.body(base), "text/html", page.modified_at, page.etag(base))
        if path.startswith("/bad/") or path in (DISALLOWED_PAGE, SSRF_LOCAL_TARGET):
            return self._bad(path)
        feed = self._feed(path)
        if feed is not None:
            body, ctype, modified = feed
            return self._conditional(body, ctype, modified)
        self._send(404, b"not found\n", "text/plain")

    def _feed(self, path: str) -> tuple[bytes, str, datetime] | None:
        site, base = self.site, self.site.base_url
        latest = max((p.modified_at for p in site.pages), default=EPOCH)
        outlet, _, name = path.strip("/").partition("/")
        if outlet in site.outlets and name in ("rss.xml", "atom.xml"):
            pages = site.outlet_pages(outlet)
            modified = max((p.modified_at for p in pages), default=EPOCH)
            if name == "rss.xml":
                return (
                    render.rss(outlet, base, pages, OUTLET_LANGUAGE.get(outlet)),
                    "application/rss+xml",
                    modified,
                )
            return render.atom(outlet, base, pages), "application/atom+xml", modified
        if path == "/sitemap-news.xml":
            return render.news_sitemap(base, site.pages, OUTLET_LANGUAGE), "application/xml", latest
        if path == "/sitemap_index.xml":
            children = [
                (f"/sitemaps/{o}.xml", max((p.modified_at for p in site.outlet_pages(o)), default=None))
                for o in site.outlets
            ]
            return render.sitemap_index(base, children), "application/xml", latest
        if (
            path.startswith("/sitemaps/")
            and path.removeprefix("/sitemaps/").removesuffix(".xml") in site.outlets
        ):
            pages = site.outlet_pages(path.removeprefix("/sitemaps/").removesuffix(".xml"))
            return render.plain_sitemap(base, pages), "application/xml", latest
        if path == "/urls.txt":
            body = "".join(f"{base}{p.path}\n" for p in site.pages).encode()
            return body, "text/plain", latest
        return None

    def _bad(self, path: str) -> None:
        site, base = self.site, self.site.base_url
        sample = site._charset_page
        if path == "/bad/rss.xml":
            items = "".join(
                f"<item><title>{p}</title><link>{base}{p}</link><guid>{base}{p}</guid></item>"
                for p in BAD_PATHS
            )
            body = (
                f'<?xml version="1.0"?><rss version="2.0"><channel><title>bad</title>{items}</channel></rss>'
            )
            return self._send(200, body.encode(), "application/rss+xml")
        if path == MALFORMED_FEED:
            return self._send(
                200, b"<?xml version='1.0'?><rss><channel><item><title>oops</ti", "application/rss+xml"
            )
        if path == "/bad/error-500.html":
            return self._send(500, b"<html><body>Internal error</body></html>", "text/html")
        if path == "/bad/not-found.html":
            return self._send(404, b"<html><body>Gone</body></html>", "text/html")
        if path == "/bad/slow.html":
            site.stopping.wait(site.slow_s)
            return self._send(200, b"<html><body><p>Finally.</p></body></html>", "text/html")
        if path == "/bad/wrong-charset.html" and sample is not None:
            # UTF-8 bytes (German text) declared as ISO-8859-1 in the header.
            return self._send(200, sample.body(base), "text/html; charset=iso-8859-1")
        if path == "/bad/binary.html":
            body = hashlib.shake_256(b"newsflow").digest(64 * 1024)
            return self._send(200, b"\x89PNG\r\n\x1a\n" + body, "text/html")
        if path == "/bad/image.html":
            return self._send(200, b"\x89PNG\r\n\x1a\n" + b"\0" * 1024, "image/png")
        if path == "/bad/huge.html":
            return self._stream_huge()
        if path == "/bad/to-metadata.html":
            return self._redirect("http://169.254.169.254/latest/meta-data/")
        if path == "/bad/to-loopback.html":
            return self._redirect(f"http://127.0.0.2:{site._decoy.server_address[1]}{SSRF_LOCAL_TARGET}")
        if path == "/bad/flaky.html" and sample is not None:
            if site.flaky_hit(path) % 2 == 1:  # every first try fails, the retry works
                return self._send(503, b"busy", "text/plain", {"Retry-After": "1"})
            return self._send(
                200, sample.body(base).replace(sample.path.encode(), path.encode()), "text/html"
            )
        self._send(200, b"<html><body><p>Secret.</p></body></html>", "text/html")

    def _conditional(self, body: bytes, ctype: str, modified: datetime, etag: str | None = None) -> None:
        etag = etag or _etag(body)
        inm = self.headers.get("If-None-Match")
        ims = self.headers.get("If-Modified-Since")
        fresh = inm == etag if inm else False
        if not inm and ims:
            try:
                fresh = parsedate_to_datetime(ims) >= modified.replace(microsecond=0)
            except (TypeError, ValueError):
                fresh = False
        headers = {"ETag": etag, "Last-Modified": format_datetime(modified.astimezone(UTC), usegmt=True)}
        if fresh:
            self.send_response(304)
            for name, value in headers.items():
                self.send_header(name, value)
            self.end_headers()
            return
        self._send(200, body, ctype, headers)

    def _send(self, status: int, body: bytes, ctype: str, headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def _redirect(self, location: str) -> None:
        self._send(302, b"", "text/html", {"Location": location})

    def _stream_huge(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        sent = 0
        while sent < HUGE_PAGE_BYTES and not self.site.stopping.is_set():
            self.wfile.write(f"{len(HUGE_CHUNK):x}\r\n".encode() + HUGE_CHUNK + b"\r\n")
            sent += len(HUGE_CHUNK)
        self.wfile.write(b"0\r\n\r\n")


SimHandler = _Handler  # the public name, for subclasses that wrap its routes
SimSite.handler_class = SimHandler
