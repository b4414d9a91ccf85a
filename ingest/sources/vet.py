"""What ``newsflow sources check`` can tell before any run: URLs the fetcher would refuse.

Every http(s) location, and every line of a local URL list, goes through the fetcher's own SSRF rule
(``ingest.fetch.ssrf.check_url``, with the operator's allow-list), so ``file:///etc/passwd`` or
``http://10.0.0.1/`` fails the check instead of being dead-lettered at run time. The URLs listed in a remote
list or feed are only known at run time; the fetcher checks those there. A name that does not resolve is
not a problem here: DNS can fail for a while, and the run dead-letters it if it still does.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from ingest.fetch.ssrf import AllowList, SsrfRefused, check_url
from ingest.page import Hints
from ingest.sources.config import SourceConfig
from ingest.sources.urllist import parse_url_list

# A check is a command someone waits for: a name that takes longer than this to resolve is left to the run.
RESOLVE_TIMEOUT_S = 5.0
ALLOW_HINT = "allow-list it with NEWSFLOW_FETCH_ALLOW_HOSTS if it is meant, e.g. '[\"127.0.0.1\"]'"


async def _refusal(url: str, allow: AllowList) -> str | None:
    try:
        await asyncio.wait_for(check_url(url, allow), RESOLVE_TIMEOUT_S)
    except SsrfRefused as exc:
        return f"{exc.reason}: {exc.detail}"
    except (OSError, TimeoutError):
        return None
    return None


def _urls(source: SourceConfig) -> tuple[list[tuple[str, str]], list[str]]:
    """(where, URL) pairs to check, and the problems found reading a local URL list."""
    if source.is_url:
        return [("location", source.location)], []
    if source.type != "urllist":
        return [], []
    try:
        text = Path(source.location).read_text(encoding="utf-8")
    except OSError as exc:
        return [], [f"location: cannot read {source.location}: {exc}"]
    candidates, problems = parse_url_list(text, source.location, Hints())
    listed = [(f"{source.location} URL", c.url) for c in candidates]
    return listed, [problem.detail for problem in problems]


def refused(sources: list[SourceConfig], allow: AllowList) -> list[str]:
    """One line per URL the run would refuse or cannot read, naming the source; empty when all is well."""
    lines: list[str] = []
    checks: list[tuple[str, str, str]] = []
    for source in sources:
        urls, problems = _urls(source)
        lines.extend(f"source {source.name!r}: {problem}" for problem in problems)
        checks.extend((source.name, where, url) for where, url in urls)

    async def run_all() -> list[str | None]:
        return await asyncio.gather(*(_refusal(url, allow) for _, _, url in checks))

    for (name, where, url), why in zip(checks, asyncio.run(run_all()), strict=True):
        if why is not None:
            lines.append(f"source {name!r}: {where} {url}: refused ({why}); {ALLOW_HINT}")
    return lines
