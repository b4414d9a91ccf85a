"""Child process of ``bench.run``: the Prefect ``ingest-source`` flow, once, as a deployment would run it.

    python -m bench.flow_process SOURCE WORKERS OUT.json [--profile OUT.txt]

Settings come from the NEWSFLOW_* environment the parent sets. Writes the flow's summary and its
start/end (epoch seconds) to OUT.json; with ``--profile``, a pyinstrument profile of the flow's main
thread (orchestration, waiting on the pool, publishing) as text.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from flows.prefect_env import use_configured_server
from schemas.settings import get_settings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source")
    parser.add_argument("workers", type=int)
    parser.add_argument("out", type=Path)
    parser.add_argument("--profile", type=Path, default=None)
    args = parser.parse_args()
    use_configured_server(get_settings())
    from flows.ingest_flow import ingest_source  # after PREFECT_API_URL is set

    profiler = None
    if args.profile is not None:
        from pyinstrument import Profiler

        profiler = Profiler(interval=0.005)
        profiler.start()
    started = time.time()
    summary = ingest_source(args.source, args.workers)
    ended = time.time()
    if profiler is not None:
        profiler.stop()
        args.profile.write_text(profiler.output_text(unicode=False, color=False, show_all=False))
    args.out.write_text(json.dumps({"summary": summary, "started_at": started, "ended_at": ended}))


if __name__ == "__main__":
    main()
