from __future__ import annotations

import gzip
import json
from pathlib import Path

from typer.testing import CliRunner

from flows.cli import app
from ingest.decode import decode_html
from schemas.article import SCHEMA_VERSION
from schemas.settings import get_settings
from tests.ingest.corpus import GERMAN_ARTICLES, body, entry

runner = CliRunner()


def test_extract_jsonl_writes_one_line_per_input_in_order(corpus_dir: Path) -> None:
    records = [
        {"url": entry(corpus_dir, f)["url"], "html": decode_html(body(corpus_dir, f), None)}
        for f in GERMAN_ARTICLES[:2]
    ]
    stdin = "\n".join(
        [
            json.dumps(records[0]),
            "{not json",
            json.dumps({"url": "https://example.org/empty", "html": ""}),
            json.dumps(records[1]),
        ]
    )
    result = runner.invoke(app, ["extract", "--jsonl", "--workers", "1"], input=stdin + "\n")
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(lines) == 4
    assert lines[0]["url"] == records[0]["url"] and lines[0]["schema_version"] == SCHEMA_VERSION
    assert lines[1]["error"].startswith("bad_input:")
    assert lines[2] == {
        "url": "https://example.org/empty",
        "error": "not_article:empty",
        "stage": "extract",
        "detail": "the page has no content",
    }
    assert lines[3]["url"] == records[1]["url"] and lines[3]["text"]


def test_extract_file_uses_url_option_and_gunzips(corpus_dir: Path) -> None:
    file = GERMAN_ARTICLES[0]
    address = entry(corpus_dir, file)["url"]
    result = runner.invoke(app, ["extract", str(corpus_dir / file), "--url", address])
    assert result.exit_code == 0, result.output
    article = json.loads(result.stdout)
    assert article["url"] == address and article["published_at"].startswith("2020-01-27")


def _page_over_the_cap() -> bytes:
    return b"<html><body><p>" + b"x" * get_settings().fetch_max_page_bytes + b"</p></body></html>"


def test_extract_refuses_a_local_file_over_the_page_cap_like_the_fetch_path(tmp_path: Path) -> None:
    big, gz_bomb = tmp_path / "big.html", tmp_path / "bomb.html.gz"
    big.write_bytes(_page_over_the_cap())
    gz_bomb.write_bytes(gzip.compress(_page_over_the_cap()))  # ~5 KB on disk, over the cap unpacked
    result = runner.invoke(app, ["extract", str(big), str(gz_bomb)])
    assert result.exit_code == 1
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [(line["error"], line["stage"]) for line in lines] == [("too_large", "fetch")] * 2
    assert "NEWSFLOW_FETCH_MAX_PAGE_BYTES" in lines[0]["detail"]


def test_extract_jsonl_refuses_a_line_over_the_page_cap(corpus_dir: Path) -> None:
    html = _page_over_the_cap().decode()
    lines = json.dumps({"url": "https://example.org/big", "html": html}) + "\n"
    result = runner.invoke(app, ["extract", "--jsonl", "--workers", "1"], input=lines)
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["error"] == "too_large"
