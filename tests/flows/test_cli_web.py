"""``newsflow web`` refuses to serve every article beyond loopback without a token."""

from __future__ import annotations

from typer.testing import CliRunner

from flows.cli import app
from flows.cli_web import is_loopback


def test_binding_beyond_loopback_without_a_token_is_refused() -> None:
    result = CliRunner().invoke(app, ["web", "--host", "0.0.0.0", "--port", "8099"])
    assert result.exit_code == 2 and "--token" in result.output


def test_loopback_addresses() -> None:
    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("localhost")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.168.1.10") and not is_loopback("example.org")
