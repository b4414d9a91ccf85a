"""Open the Prefect UI's flow-runs page in headless Chromium and save a screenshot.

``.venv/bin/python -m bench.ui_screenshot [--out docs/img/prefect-runs.png]`` after the demo:
installs Debian's chromium if missing (infra/install-chromium.sh), checks through the API that
completed runs exist, then renders the page a person would open.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
from pathlib import Path

import httpx

from schemas.settings import get_settings

REPO = Path(__file__).resolve().parent.parent
# The UI is a single-page app: give its scripts this much (virtual) time to fetch and draw runs.
RENDER_BUDGET_MS = 20_000
WINDOW = "1440,1000"


def completed_runs(api_url: str) -> int:
    body = {"flow_runs": {"state": {"type": {"any_": ["COMPLETED"]}}}}
    return httpx.post(f"{api_url}/flow_runs/count", json=body, timeout=10).raise_for_status().json()


def screenshot(url: str, out: Path) -> Path:
    if shutil.which("chromium") is None:
        subprocess.run(["bash", str(REPO / "infra" / "install-chromium.sh")], check=True)
    out.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [
            "chromium",
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--hide-scrollbars",
            f"--window-size={WINDOW}",
            f"--virtual-time-budget={RENDER_BUDGET_MS}",
            f"--screenshot={out}",
            url,
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=REPO / "docs" / "img" / "prefect-runs.png")
    args = parser.parse_args()
    settings = get_settings()
    count = completed_runs(settings.api_url)
    if count == 0:
        print("no completed flow runs yet: run the demo first (README's first command)", file=sys.stderr)
        return 1
    path = screenshot(f"{settings.prefect_url}/runs", args.out)
    print(
        f"{count} completed flow runs; screenshot of {settings.prefect_url}/runs saved to {path} "
        f"({path.stat().st_size} bytes)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
