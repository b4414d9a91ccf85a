"""``newsflow search`` refuses bad arguments with a usage error that names the value, before asking ES."""

from __future__ import annotations

from typer.testing import CliRunner

from flows.cli import app
from indexing.search import MAX_QUERY_WORDS, MAX_SIZE

runner = CliRunner()


def test_search_size_over_the_result_window_is_a_usage_error_with_the_range() -> None:
    result = runner.invoke(app, ["search", "", "--size", "100000"])
    assert result.exit_code == 2
    assert isinstance(result.exception, SystemExit)
    assert str(MAX_SIZE) in result.output and "--size" in result.output


def test_bad_since_value_is_echoed_in_its_error() -> None:
    result = runner.invoke(app, ["search", "bank", "--since", "last tuesdayy"])
    assert result.exit_code == 2
    assert "--since" in result.output and "'last tuesdayy'" in result.output
    assert "Traceback" not in result.output


def test_a_pasted_article_as_query_gets_a_clear_message_without_a_date_hint() -> None:
    query = " ".join(f"word{i}" for i in range(1_200))
    result = runner.invoke(app, ["search", query])
    assert result.exit_code == 2
    assert "1200 words" in result.output and str(MAX_QUERY_WORDS) in result.output
    assert "since" not in result.output
