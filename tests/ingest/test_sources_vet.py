"""``newsflow sources check`` refuses what the fetcher would refuse at run time (the SSRF rule)."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from flows.cli import app
from ingest.fetch.ssrf import AllowList
from ingest.sources import vet
from ingest.sources.config import SourcesConfigError, load_sources

runner = CliRunner()


def _sources(tmp_path: Path, urls: list[str]) -> Path:
    (tmp_path / "urls.txt").write_text("\n".join(urls) + "\n")
    config = tmp_path / "sources.yaml"
    config.write_text(
        "sources:\n"
        "  - {name: listed, type: urllist, location: urls.txt, interval_s: 600}\n"
        "  - {name: intranet-feed, type: rss, location: 'http://10.1.2.3/rss.xml', interval_s: 600}\n"
    )
    return config


def test_sources_check_fails_on_local_file_and_private_addresses_in_a_url_list(tmp_path: Path) -> None:
    config = _sources(tmp_path, ["https://93.184.215.14/a.html", "file:///etc/passwd", "http://10.0.0.1/"])
    result = runner.invoke(app, ["sources", "check", str(config)])
    assert result.exit_code == 2
    output = " ".join(result.output.split())
    assert "file:///etc/passwd" in output and "not an http(s) URL" in output
    assert "http://10.0.0.1/" in output and "private_address" in output
    assert "'intranet-feed': location http://10.1.2.3/rss.xml" in output
    assert "93.184.215.14" not in output
    assert "sources OK" not in output


def test_the_allow_list_lets_private_addresses_through_the_check(tmp_path: Path) -> None:
    sources = load_sources(_sources(tmp_path, ["http://10.0.0.1/", "http://127.0.0.1:8765/a.html"]))
    assert len(vet.refused(sources, AllowList.parse([]))) == 3
    assert vet.refused(sources, AllowList.parse(["10.0.0.0/8", "127.0.0.1"])) == []


def test_a_location_with_another_scheme_is_a_config_error(tmp_path: Path) -> None:
    config = tmp_path / "sources.yaml"
    config.write_text(
        "sources:\n  - {name: x, type: urllist, location: 'file:///etc/passwd', interval_s: 600}\n"
    )
    with pytest.raises(SourcesConfigError, match="http\\(s\\) URL or a local path, not a file: URL"):
        load_sources(config)
