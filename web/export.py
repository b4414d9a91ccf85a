"""Export the current result set as CSV or JSONL: streamed page by page with ``search_after``, capped.

Rows leave as soon as Elasticsearch returns each page, so memory stays flat whatever the size; the cap
(``web_export_max_rows``) bounds how long one download can hold the server.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator
from typing import Any

import orjson

from indexing.search import SearchHit, SearchRequest, SearchResult

# 1,000 hits per Elasticsearch request: large enough that the per-request overhead vanishes, small
# enough that the first rows leave within ~100 ms.
EXPORT_PAGE_HITS = 1_000
# The columns of one row; multi-valued ones are joined with "; " in CSV (lists in JSONL).
EXPORT_FIELDS = ["language", "persons", "organisations", "locations", "authors"]
COLUMNS = [
    "id",
    "published_at",
    "source",
    "language",
    "title",
    "url",
    "persons",
    "organisations",
    "locations",
]
CSV_LIST_SEPARATOR = "; "
# Spreadsheets run cells starting with these as formulas: such a cell is prefixed with ' (OWASP's advice).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
# Rows are sent in ~64 kB pieces: few enough writes to stay cheap, small enough to show progress early.
STREAM_CHUNK_BYTES = 64_000

Search = Callable[[SearchRequest], SearchResult]


def _row(hit: SearchHit) -> dict[str, Any]:
    return {
        "id": hit.id,
        "published_at": hit.published_at,
        "source": hit.source.get("domain"),
        "language": hit.fields.get("language"),
        "title": hit.title,
        "url": hit.url,
        "persons": hit.fields.get("persons") or [],
        "organisations": hit.fields.get("organisations") or [],
        "locations": hit.fields.get("locations") or [],
    }


def rows(search: Search, request: SearchRequest, max_rows: int) -> Iterator[dict[str, Any]]:
    """Every hit of ``request`` (in its sort order), at most ``max_rows``, one page at a time."""
    page = request.model_copy(
        update={"facets": False, "highlight": False, "hit_fields": EXPORT_FIELDS, "search_after": None}
    )
    sent = 0
    while sent < max_rows:
        page = page.model_copy(update={"size": min(EXPORT_PAGE_HITS, max_rows - sent)})
        result = search(page)
        for hit in result.hits:
            yield _row(hit)
        sent += len(result.hits)
        if len(result.hits) < page.size:
            return
        page = page.model_copy(update={"search_after": result.hits[-1].sort})


def _cell(value: Any) -> str:
    text = CSV_LIST_SEPARATOR.join(value) if isinstance(value, list) else "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def as_csv(records: Iterator[dict[str, Any]]) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    for record in records:
        writer.writerow([_cell(record[c]) for c in COLUMNS])
        if buffer.tell() > STREAM_CHUNK_BYTES:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def as_jsonl(records: Iterator[dict[str, Any]]) -> Iterator[bytes]:
    chunk = bytearray()
    for record in records:
        chunk += orjson.dumps(record) + b"\n"
        if len(chunk) > STREAM_CHUNK_BYTES:
            yield bytes(chunk)
            chunk.clear()
    yield bytes(chunk)
