from pathlib import Path

import pytest

from ingest.sources.config import SourcesConfigError, find_source, load_sources

GOOD = """
sources:
  - name: planet-rss
    type: rss
    location: http://127.0.0.1:8765/globe/rss.xml
    interval_s: 900
    language: en
    tags: [demo]
  - name: archive
    type: warc
    location: archives/news.warc.gz
    cron: "0 3 * * *"
    enabled: false
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "sources.yaml"
    path.write_text(text)
    return path


def test_valid_file_loads_with_relative_paths_resolved(tmp_path: Path) -> None:
    sources = load_sources(write(tmp_path, GOOD))
    assert [s.name for s in sources] == ["planet-rss", "archive"]
    assert find_source(sources, "archive").location == str(tmp_path / "archives/news.warc.gz")
    assert find_source(sources, "planet-rss").tags == ("demo",)
    assert not find_source(sources, "archive").enabled


@pytest.mark.parametrize(
    ("entry", "expected"),
    [
        ("{name: a, type: rss, location: 'http://x/f', interval_s: 900, cron: '* * * * *'}", "exactly one"),
        ("{name: a, type: rss, location: 'http://x/f'}", "exactly one"),
        ("{name: a, type: rss, location: 'http://x/f', cron: 'every day'}", "field cron"),
        ("{name: a, type: rss, location: 'http://x/f', interval_s: 5}", "field interval_s"),
        ("{name: a, type: podcast, location: 'http://x/f', interval_s: 900}", "field type"),
        ("{name: a, type: rss, location: feeds/x.xml, interval_s: 900}", "http(s) URL"),
        ("{name: a, type: html_dir, location: 'http://x/', interval_s: 900}", "local path"),
        (
            "{name: a, type: rss, location: 'http://x/f', interval_s: 900, language: english}",
            "field language",
        ),
        ("{name: a, type: rss, location: 'http://x/f', interval_s: 900, colour: red}", "field colour"),
    ],
)
def test_errors_name_the_source_and_the_field(tmp_path: Path, entry: str, expected: str) -> None:
    with pytest.raises(SourcesConfigError) as info:
        load_sources(write(tmp_path, f"sources:\n  - {entry}\n"))
    assert "source 'a'" in str(info.value)
    assert expected in str(info.value)


def test_every_problem_is_reported_and_duplicates_caught(tmp_path: Path) -> None:
    text = (
        "sources:\n"
        "  - {type: rss, location: 'http://x/f', interval_s: 900}\n"
        "  - {name: b, type: rss, location: 'http://x/f', interval_s: 900}\n"
        "  - {name: b, type: rss, location: 'http://x/g', interval_s: 900}\n"
    )
    with pytest.raises(SourcesConfigError) as info:
        load_sources(write(tmp_path, text))
    message = str(info.value)
    assert "source #1: field name" in message
    assert "source 'b': field name: duplicate" in message


def test_not_yaml_or_wrong_shape_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(SourcesConfigError, match="not valid YAML"):
        load_sources(write(tmp_path, "sources: [\n"))
    with pytest.raises(SourcesConfigError, match="'sources' list"):
        load_sources(write(tmp_path, "- a\n"))


def test_repo_sources_yaml_is_valid() -> None:
    sources = load_sources(Path(__file__).resolve().parents[2] / "sources.yaml")
    assert sources
