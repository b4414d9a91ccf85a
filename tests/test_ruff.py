"""The repository is ruff-clean: lint and format, as the CI command's part of the test suite."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("check", [["check", "."], ["format", "--check", "."]], ids=["lint", "format"])
def test_ruff_reports_nothing(check: list[str]) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "ruff", *check], cwd=REPO, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stdout + done.stderr
