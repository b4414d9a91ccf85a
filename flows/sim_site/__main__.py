"""``python -m flows.sim_site --port 8765 [--limit N] [--replicate N] [--syndicate N]``: serve."""

from __future__ import annotations

import argparse
import contextlib
import signal
import threading

from flows.sim_site import SimSite, load_pages
from flows.sim_site.syndicate import load_syndicated


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--limit", type=int, default=None, help="use only the first N corpus pages")
    parser.add_argument(
        "--replicate", type=int, default=1, help="serve each page N times under distinct URLs"
    )
    parser.add_argument(
        "--syndicate", type=int, default=0, help="also serve N newsbench articles with copies and rewrites"
    )
    parser.add_argument("--slow-s", type=float, default=10.0, help="how long /bad/slow.html takes")
    args = parser.parse_args()
    pages = load_pages(args.limit, args.replicate) + load_syndicated(args.syndicate)
    done = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: done.set())
    with SimSite(pages, port=args.port, slow_s=args.slow_s) as site:
        print(
            f"serving {len(pages)} articles at {site.base_url} (feeds: /<outlet>/rss.xml, /sitemap_index.xml)"
        )
        with contextlib.suppress(KeyboardInterrupt):
            done.wait()


if __name__ == "__main__":
    main()
