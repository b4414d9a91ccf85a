"""Cold and warm start of the local stack, and each service's idle memory.

``.venv/bin/python -m bench.stack_start`` starts a throwaway stack on free ports with an empty jar
cache and an empty Maven repository (cold: every jar comes from Maven Central), stops it, starts it
again (warm: offline), waits for it to settle, then reads each service's resident memory.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import tempfile
import time
from pathlib import Path

from infra import stack as local_stack
from schemas.settings import Settings

# After `up`, JVMs finish JIT and lazy start-up work; memory read earlier understates idle use.
SETTLE_S = 20.0


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _timed_up(settings: Settings) -> dict[str, float]:
    started = time.monotonic()
    services = local_stack.up(settings, log=lambda _m: None)
    total = time.monotonic() - started
    return {**{s.name: round(s.info["ready_after_s"], 1) for s in services}, "total": round(total, 1)}


def main() -> None:
    root = Path(tempfile.mkdtemp(prefix="newsflow-stack-"))
    os.environ["MAVEN_OPTS"] = f"{os.environ.get('MAVEN_OPTS', '')} -Dmaven.repo.local={root / 'm2'}".strip()
    settings = Settings(
        data_dir=root / "data",
        cache_dir=root / "cache",
        kafka_bootstrap=f"127.0.0.1:{_free_port()}",
        es_url=f"http://127.0.0.1:{_free_port()}",
        prefect_url=f"http://127.0.0.1:{_free_port()}",
    )
    try:
        cold = _timed_up(settings)
        local_stack.down(settings, log=lambda _m: None)
        warm = _timed_up(settings)
        time.sleep(SETTLE_S)
        rss = {row["service"]: row["rss_mb"] for row in local_stack.status(settings)}
    finally:
        local_stack.down(settings, log=lambda _m: None)
        shutil.rmtree(root, ignore_errors=True)
    result = {
        "cold_start_s": cold,
        "warm_start_s": warm,
        "idle_rss_mb": rss,
        "idle_rss_total_mb": sum(rss.values()),
    }
    print(json.dumps(result, indent=2))
    out = Path(__file__).resolve().parent / "results" / "stack_start.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
