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

# A one-off fetch from the command line: generous, since a slow site is the only thing waited on.
FETCH_TIMEOUT_S = 30.0
USER_AGENT = "newsflow-extract/0.1 (+https://github.com/newsflow)"


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
    pages = [_fetch(item) if _is_url(item) else _read_file(Path(item), url) for item in inputs]
    with BuildPool(workers or 1) as pool:
        results = pool.build(pages)
    for result in results:
        typer.echo(_line(result))
    if any(isinstance(result, Rejection) for result in results):
        raise typer.Exit(code=1)


def extract_jsonl(lines: Iterable[str], out: IO[str], pool: BuildPool) -> None:
    """One output line per input line, in input order; a bad input line yields an error line."""
    order: deque[RawPage | dict[str, str | None]] = deque()

    def pages() -> Iterator[RawPage]:
        for line in lines:
            if not line.strip():
                continue
            item = _parse_line(line)
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


def _parse_line(line: str) -> RawPage | dict[str, str | None]:
    try:
        record = json.loads(line)
        page_url, html = record["url"], record["html"]
        if not isinstance(page_url, str) or not isinstance(html, str):
            raise TypeError("url and html must be strings")
    except (ValueError, KeyError, TypeError) as error:
        return {"url": None, "error": f"bad_input:{type(error).__name__}", "detail": str(error)[:200]}
    # The text is already decoded: say so, so the decoder does not second-guess it.
    return RawPage(
        url=page_url,
        body=html.encode("utf-8"),
        fetched_at=datetime.now(UTC),
        source_name="",
        content_type="text/html; charset=utf-8",
    )


def _line(result: BuildResult) -> str:
    if isinstance(result, Rejection):
        error = {"url": result.url, "error": result.reason, "stage": result.stage, "detail": result.detail}
        return json.dumps(error, ensure_ascii=False)
    return result.model_dump_json()


def _is_url(item: str) -> bool:
    return item.startswith(("http://", "https://"))


def _fetch(address: str) -> RawPage:
    response = httpx.get(
        address, follow_redirects=True, timeout=FETCH_TIMEOUT_S, headers={"User-Agent": USER_AGENT}
    )
    response.raise_for_status()
    return RawPage(
        url=str(response.url),
        body=response.content,
        fetched_at=datetime.now(UTC),
        source_name="",
        content_type=response.headers.get("content-type"),
    )


def _read_file(path: Path, address: str | None) -> RawPage:
    body = path.read_bytes()
    if path.suffix == ".gz":
        body = gzip.decompress(body)
    return RawPage(
        url=address or path.resolve().as_uri(),
        body=body,
        fetched_at=datetime.now(UTC),
        source_name="",
    )
