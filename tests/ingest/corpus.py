"""Corpus pages for ingest tests, by file name (see ../shared/corpus/README.md)."""

from __future__ import annotations

import gzip
import json
from datetime import UTC, datetime
from pathlib import Path

from ingest.page import RawPage

# German pages (no NER model for German, so no spaCy load) that are articles with a known date.
GERMAN_ARTICLES = (
    "html/27e48c58f273550c.html.gz",
    "html/83a4854b1db15e3f.html.gz",
    "html/4b44e7a4c61edcde.html.gz",
)
# The page declares ISO-8859-2 in a <meta charset> after 1 KiB of scripts.
POLISH_LATIN2 = "html/d618a904cff8e4f8.html.gz"
FETCHED_AT = datetime(2024, 3, 14, 8, 0, tzinfo=UTC)


def entry(corpus_dir: Path, file: str) -> dict:
    return next(e for e in json.loads((corpus_dir / "pages.json").read_text()) if e["file"] == file)


def body(corpus_dir: Path, file: str) -> bytes:
    return gzip.decompress((corpus_dir / file).read_bytes())


def raw_page(corpus_dir: Path, file: str) -> RawPage:
    return RawPage(
        url=entry(corpus_dir, file)["url"],
        body=body(corpus_dir, file),
        fetched_at=FETCHED_AT,
        source_name="Corpus",
    )


def garbage_page(url: str = "https://example.org/garbage") -> RawPage:
    return RawPage(url=url, body=bytes(range(256)) * 40, fetched_at=FETCHED_AT, source_name="Corpus")
