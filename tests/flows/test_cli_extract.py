from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from flows.cli import app
from ingest.decode import decode_html
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
    assert lines[0]["url"] == records[0]["url"] and lines[0]["schema_version"] == 1
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
