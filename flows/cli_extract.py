"""``newsflow extract``: the functional core from the command line, one article JSON per input.

newsflow extract page.html.gz --url https://example.org/a.html
newsflow extract https://example.org/a.html
newsflow extract --jsonl [--workers N] < pages.jsonl > articles.jsonl
"""

from __future__ import annotations

import gzip
import json
import sys
from collections import deque
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Annotated

import httpx
import typer

from ingest.core import BuildResult, Rejection
from ingest.page import RawPage
from ingest.pool import BuildPool
from schemas.article import ArticleEvent
from schemas.settings import get_settings

# A one-off fetch from the command line: generous, since a slow site is the only thing waited on.
FETCH_TIMEOUT_S = 30.0
USER_AGENT = "newsflow-extract/0.1 (+https://github.com/newsflow)"
# Read size of a streamed download or a gzip member: small enough that one read past the cap costs nothing.
READ_CHUNK_BYTES = 64 * 1024


class PageTooLarge(ValueError):
    """An input is over ``fetch_max_page_bytes``: the same cap the fetch path applies, the same reason."""

    def __init__(self, url: str, max_bytes: int) -> None:
        super().__init__(f"{url}: more than {max_bytes} bytes (NEWSFLOW_FETCH_MAX_PAGE_BYTES), not read")
        self.url = url


def extract_command(
    inputs: Annotated[list[str] | None, typer.Argument(help="files (.gz ok) or http(s) URLs")] = None,
    url: Annotated[str | None, typer.Option("--url", help="the address of the local file(s)")] = None,
    jsonl: Annotated[bool, typer.Option("--jsonl", help='read {"url", "html"} lines on stdin')] = False,
    workers: Annotated[int | None, typer.Option(help="processes for --jsonl (default: all cores)")] = None,
) -> None:
    """Print one article JSON per input (or {"url", "error"} when it is not an article)."""
    if jsonl:
        with BuildPool(workers) as pool:
            extract_jsonl(sys.stdin, sys.stdout, pool)
        return
    if not inputs:
        raise typer.BadParameter("give files or URLs, or --jsonl")
    loaded = [_load(item, url, get_settings().fetch_max_page_bytes) for item in inputs]
    pages = [page for page in loaded if isinstance(page, RawPage)]
    with BuildPool(workers or 1) as pool:
        built = iter(pool.build(pages) if pages else [])
    results = [next(built) if isinstance(page, RawPage) else page for page in loaded]
    for result in results:
        typer.echo(_line(result))
    if any(not isinstance(result, ArticleEvent) for result in results):
        raise typer.Exit(code=1)


def extract_jsonl(lines: Iterable[str], out: IO[str], pool: BuildPool) -> None:
    """One output line per input line, in input order; a bad input line yields an error line."""
    order: deque[RawPage | dict[str, str | None]] = deque()
    max_bytes = get_settings().fetch_max_page_bytes

    def pages() -> Iterator[RawPage]:
        for line in lines:
            if not line.strip():
                continue
            item = _parse_line(line, max_bytes)
            order.append(item)
            if isinstance(item, RawPage):
                yield item

    for result in pool.build_iter(pages()):
        while not isinstance(order[0], RawPage):
            out.write(json.dumps(order.popleft(), ensure_ascii=False) + "\n")
        order.popleft()
        out.write(_line(result) + "\n")
        out.flush()
    while order:
        out.write(json.dumps(order.popleft(), ensure_ascii=False) + "\n")


def _parse_line(line: str, max_bytes: int) -> RawPage | dict[str, str | None]:
    try:
        record = json.loads(line)
        page_url, html = record["url"], record["html"]
        if not isinstance(page_url, str) or not isinstance(html, str):
            raise TypeError("url and html must be strings")
    except (ValueError, KeyError, TypeError) as error:
        return {"url": None, "error": f"bad_input:{type(error).__name__}", "detail": str(error)[:200]}
    body = html.encode("utf-8")
    if len(body) > max_bytes:
        return {
            "url": page_url,
            "error": "too_large",
            "stage": "fetch",
            "detail": str(PageTooLarge(page_url, max_bytes)),
        }
    # The text is already decoded: say so, so the decoder does not second-guess it.
    return RawPage(
        url=page_url,
        body=body,
        fetched_at=datetime.now(UTC),
        source_name="",
        content_type="text/html; charset=utf-8",
    )


def _line(result: BuildResult | dict[str, str | None]) -> str:
    if isinstance(result, dict):
        return json.dumps(result, ensure_ascii=False)
    if isinstance(result, Rejection):
        error = {"url": result.url, "error": result.reason, "stage": result.stage, "detail": result.detail}
        return json.dumps(error, ensure_ascii=False)
    return result.model_dump_json()


def _is_url(item: str) -> bool:
    return item.startswith(("http://", "https://"))


def _load(item: str, address: str | None, max_bytes: int) -> RawPage | dict[str, str | None]:
    """The page behind a file or URL, or past the page cap the error line the fetch path would dead-letter."""
    try:
        return _fetch(item, max_bytes) if _is_url(item) else _read_file(Path(item), address, max_bytes)
    except PageTooLarge as exc:
        return {"url": exc.url, "error": "too_large", "stage": "fetch", "detail": str(exc)}


def _read_capped(chunks: Iterable[bytes], url: str, max_bytes: int) -> bytes:
    body = bytearray()
    for chunk in chunks:
        body += chunk
        if len(body) > max_bytes:
            raise PageTooLarge(url, max_bytes)
    return bytes(body)


def _fetch(address: str, max_bytes: int) -> RawPage:
    headers = {"User-Agent": USER_AGENT}
    with httpx.stream(
        "GET", address, follow_redirects=True, timeout=FETCH_TIMEOUT_S, headers=headers
    ) as resp:
        resp.raise_for_status()
        body = _read_capped(resp.iter_bytes(READ_CHUNK_BYTES), address, max_bytes)
    return RawPage(
        url=str(resp.url),
        body=body,
        fetched_at=datetime.now(UTC),
        source_name="",
        content_type=resp.headers.get("content-type"),
    )


def _read_file(path: Path, address: str | None, max_bytes: int) -> RawPage:
    url = address or path.resolve().as_uri()
    with gzip.open(path) if path.suffix == ".gz" else path.open("rb") as file:
        body = _read_capped(iter(lambda: file.read(READ_CHUNK_BYTES), b""), url, max_bytes)
    return RawPage(
        url=url,
        body=body,
        fetched_at=datetime.now(UTC),
        source_name="",
    )
