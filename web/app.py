"""The search page: a read-only Starlette app over the articles alias (``newsflow web`` serves it).

Routes: ``/`` (search, facets, histogram, compare), ``/article/<id>``, ``/export.csv`` and
``/export.jsonl`` (streamed, capped), ``/healthz``, ``/static``. Every search goes through
``indexing.search`` (the CLI's query builder). Failures map to pages once, in ERROR_PAGES: Elasticsearch
unreachable -> 503 with what to do; anything unexpected -> 500 without a stack trace (logged here).
"""

from __future__ import annotations

import hmac
import itertools
import logging
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from elastic_transport import TransportError
from elasticsearch import ApiError, Elasticsearch
from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.base import BaseHTTPMiddleware, RequestResponseEndpoint
from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, RedirectResponse, Response, StreamingResponse
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from indexing import lookup
from indexing.search import SearchFailed, SearchRequest, SearchResult, search
from schemas.settings import Settings
from web import export, views
from web.state import SearchState

HERE = Path(__file__).resolve().parent
log = logging.getLogger("newsflow.web")
TOKEN_COOKIE = "newsflow_token"
# The page loads only its own files: a script that slipped through escaping could still not run inline
# or load from elsewhere (defence in depth; the tests check escaping itself).
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}


class Site:
    """The app's collaborators: settings, the Elasticsearch client and the templates."""

    def __init__(self, settings: Settings, es: Elasticsearch | None = None) -> None:
        self.settings = settings
        self.es = es or Elasticsearch(
            settings.es_url, request_timeout=settings.web_es_timeout_s, max_retries=1
        )
        self.templates = Environment(
            loader=FileSystemLoader(HERE / "templates"), autoescape=select_autoescape(default=True)
        )
        self.templates.filters["when"] = views.when

    def render(self, name: str, status: int = 200, **context: Any) -> HTMLResponse:
        page = self.templates.get_template(name).render(settings=self.settings, **context)
        return HTMLResponse(page, status_code=status)

    def search(self, request: SearchRequest) -> SearchResult:
        return search(self.es, self.settings.index_alias, request)


def _site(request: Request) -> Site:
    return request.app.state.site


def search_page(request: Request) -> Response:
    site = _site(request)
    state = SearchState.from_params(request.query_params.multi_items())
    size = site.settings.web_page_size
    result = site.search(state.request(size, facets=True, hit_fields=views.HIT_FIELDS))
    compare = None
    if state.compare:
        compare_state = SearchState(q=state.compare, terms=state.terms, since=state.since, until=state.until)
        compare = site.search(compare_state.request(0, facets=True, facet_names=[]))
    page = views.search_page(state, result, compare, size, site.settings.web_export_max_rows)
    return site.render("search.html", page=page)


def article_page(request: Request) -> Response:
    site = _site(request)
    article_id = request.path_params["article_id"]
    doc = lookup.get_article(site.es, site.settings.index_alias, article_id)
    if doc is None:
        return site.render(
            "error.html", 404, title="No such article", detail=f"No article has the id {article_id}."
        )
    related = lookup.related(site.es, site.settings.index_alias, doc)
    return site.render("article.html", page=views.article_page(doc, related, site.settings.prefect_url))


def _export(request: Request, kind: str) -> Response:
    site = _site(request)
    state = SearchState.from_params(request.query_params.multi_items())
    records = export.rows(site.search, state.request(0), site.settings.web_export_max_rows)
    # The first page is fetched before answering: Elasticsearch down is a 503 page, not a cut download.
    first = list(itertools.islice(records, 1))
    body: Iterator[Any] = itertools.chain(first, records)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    media = "text/csv; charset=utf-8" if kind == "csv" else "application/x-ndjson"
    chunks = export.as_csv(body) if kind == "csv" else export.as_jsonl(body)
    headers = {
        "Content-Disposition": f'attachment; filename="newsflow-{stamp}.{kind}"',
        "X-Export-Max-Rows": str(site.settings.web_export_max_rows),
    }
    return StreamingResponse(chunks, media_type=media, headers=headers)


def export_csv(request: Request) -> Response:
    return _export(request, "csv")


def export_jsonl(request: Request) -> Response:
    return _export(request, "jsonl")


def healthz(request: Request) -> Response:
    return PlainTextResponse("ok")


# --- failures: each class of error is one page, decided here ---------------------------------------------
def _unavailable(request: Request, exc: Exception) -> Response:
    settings = _site(request).settings
    log.warning("Elasticsearch unavailable: %s", exc)
    return _site(request).render(
        "error.html",
        503,
        title="Search is unavailable",
        detail=f"Elasticsearch does not answer at {settings.es_url}.",
        todo=[
            ("Check the stack:", "newsflow stack status"),
            ("Start it (or set NEWSFLOW_ES_URL to where Elasticsearch runs):", "newsflow stack up"),
            ("Then reload this page.", None),
        ],
    )


def _no_index(request: Request, exc: Exception) -> Response:
    alias = _site(request).settings.index_alias
    return _site(request).render(
        "error.html",
        503,
        title="No articles indexed yet",
        detail=f"The index '{alias}' does not exist.",
        todo=[
            (
                "Index articles first, with the demo or the indexer, then reload:",
                "newsflow demo  |  newsflow index",
            )
        ],
    )


def _refused(request: Request, exc: Exception) -> Response:
    log.warning("Elasticsearch refused a search: %s", exc)
    return _site(request).render(
        "error.html",
        502,
        title="Elasticsearch refused this search",
        detail="Try a simpler query or a narrower date range.",
    )


def _internal(request: Request, exc: Exception) -> Response:
    log.exception("unexpected error on %s", request.url.path, exc_info=exc)
    return _site(request).render(
        "error.html", 500, title="Something went wrong", detail="The error was logged by the server."
    )


def _es_refused(request: Request, exc: Exception) -> Response:
    """A 4xx/5xx answer: the alias missing (nothing indexed yet) or a search Elasticsearch rejected."""
    return _no_index(request, exc) if "index_not_found" in str(exc) else _refused(request, exc)


ERROR_PAGES = {
    TransportError: _unavailable,
    ApiError: _es_refused,
    SearchFailed: _es_refused,
    Exception: _internal,
}


class Guard(BaseHTTPMiddleware):
    """Security headers on every answer; the access token when one is set (query once, then a cookie)."""

    async def dispatch(self, request: Request, call_next: RequestResponseEndpoint) -> Response:
        token = _site(request).settings.web_token
        response = await call_next(request) if not token else await self._gated(request, call_next, token)
        response.headers.update(SECURITY_HEADERS)
        return response

    async def _gated(self, request: Request, call_next: RequestResponseEndpoint, token: str) -> Response:
        given = request.query_params.get("token")
        if given is not None and hmac.compare_digest(given.encode(), token.encode()):
            params = [(k, v) for k, v in request.query_params.multi_items() if k != "token"]
            target = request.url.path + (f"?{urlencode(params)}" if params else "")
            response: Response = RedirectResponse(target, status_code=303)
            response.set_cookie(TOKEN_COOKIE, token, httponly=True, samesite="strict")
            return response
        offered = request.cookies.get(TOKEN_COOKIE) or request.headers.get("authorization", "").removeprefix(
            "Bearer "
        )
        if offered and hmac.compare_digest(offered.encode(), token.encode()):
            return await call_next(request)
        return _site(request).render(
            "error.html", 401, title="Access token needed", detail="Open the link with ?token=... once."
        )


def create_app(settings: Settings, es: Elasticsearch | None = None) -> Starlette:
    routes = [
        Route("/", search_page),
        Route("/article/{article_id}", article_page),
        Route("/export.csv", export_csv),
        Route("/export.jsonl", export_jsonl),
        Route("/healthz", healthz),
        Mount("/static", StaticFiles(directory=HERE / "static"), name="static"),
    ]
    app = Starlette(routes=routes, middleware=[Middleware(Guard)], exception_handlers=ERROR_PAGES)
    app.state.site = Site(settings, es)
    return app
