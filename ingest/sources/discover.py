"""Discovery: one source -> its candidates, per source type. Never raises for a broken source.

A source document that cannot be read (feed/sitemap fetch failure, malformed XML, missing file)
becomes a ``DeadLetter(stage="discover")`` and counts as one discovered item, so the run's
invariant ``discovered = published + unchanged + dead_lettered`` holds and nothing is silent.
Feeds and sitemaps are fetched conditionally: the new validators are returned, not stored, and
the runner stores them only after the run has published everything (a crash in between must not
turn the next poll into a 304 that skips unpublished articles).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ingest.fetch.client import Document, Fetcher, NotModified
from ingest.fetch.validators import Validators, ValidatorStore
from ingest.page import Hints
from ingest.sources import feeds, local, sitemaps, urllist
from ingest.sources.candidate import Candidate
from ingest.sources.config import SourceConfig
from ingest.sources.errors import SourceBroken
from schemas.dead_letter import DeadLetter
from schemas.settings import Settings


@dataclass
class Discovery:
    source: str
    candidates: list[Candidate] = field(default_factory=list)
    dead_letters: list[DeadLetter] = field(default_factory=list)
    not_modified: bool = False  # the feed/sitemap answered 304: nothing to do
    validators: dict[str, Validators] = field(default_factory=dict)  # to store after publishing

    @property
    def discovered(self) -> int:
        return len(self.candidates) + len(self.dead_letters)


def validators_path(settings: Settings) -> Path:
    return settings.data_dir / "http_validators.sqlite"


def _hints(source: SourceConfig) -> Hints:
    return Hints(language=source.language, tags=source.tags)


def _broken(source: SourceConfig, url: str | None, problem: SourceBroken) -> DeadLetter:
    return DeadLetter(
        url=url, source=source.name, stage="discover", reason=problem.reason, detail=problem.detail
    )


class _Walker:
    """Fetches one feed or sitemap tree for a discovery, conditionally."""

    def __init__(self, source: SourceConfig, fetcher: Fetcher, store: ValidatorStore, out: Discovery) -> None:
        self.source, self.fetcher, self.store, self.out = source, fetcher, store, out

    async def get(self, url: str) -> Document | None:
        result = await self.fetcher.fetch_document(url, self.source.name, self.store.get(url))
        if isinstance(result, NotModified):
            return None
        if isinstance(result, DeadLetter):
            self.out.dead_letters.append(
                result.model_copy(update={"stage": "discover", "reason": f"{result.stage}:{result.reason}"})
            )
            return None
        self.out.validators[url] = result.validators
        return result

    async def feed(self) -> None:
        document = await self.get(self.source.location)
        if document is None:
            self.out.not_modified = not self.out.dead_letters
            return
        try:
            self.out.candidates = feeds.parse_feed(
                document.body, document.url, self.source.language, self.source.tags
            )
        except SourceBroken as exc:
            self.out.dead_letters.append(_broken(self.source, self.source.location, exc))

    async def sitemap(self) -> None:
        """Breadth-first over the index tree, within the depth, file and URL bounds of sitemaps.py."""
        level, depth, files = [self.source.location], 0, 0
        entries: list[sitemaps.SitemapEntry] = []
        root_unchanged = False
        while level and depth <= sitemaps.MAX_SITEMAP_DEPTH and files < sitemaps.MAX_SITEMAP_FILES:
            next_level: list[str] = []
            for url in level[: sitemaps.MAX_SITEMAP_FILES - files]:
                files += 1
                document = await self.get(url)
                if document is None:
                    root_unchanged = root_unchanged or (depth == 0 and not self.out.dead_letters)
                    continue
                try:
                    page = sitemaps.parse_sitemap(
                        document.body, document.url, self.source.language, self.source.tags
                    )
                except SourceBroken as exc:
                    self.out.dead_letters.append(_broken(self.source, url, exc))
                    continue
                entries.extend(page.entries)
                next_level.extend(page.children)
            level, depth = next_level, depth + 1
        unique = list({e.candidate.url: e for e in entries}.values())
        kept = sitemaps.newest_first(unique, sitemaps.MAX_SITEMAP_URLS)
        self.out.candidates = [e.candidate for e in kept]
        self.out.not_modified = root_unchanged


async def discover_async(source: SourceConfig, fetcher: Fetcher, store: ValidatorStore) -> Discovery:
    """The candidates of one source (fetching feeds/sitemaps through ``fetcher``)."""
    out = Discovery(source.name)
    hints = _hints(source)
    try:
        if source.type in ("rss", "atom", "feed"):
            await _Walker(source, fetcher, store, out).feed()
        elif source.type == "sitemap":
            await _Walker(source, fetcher, store, out).sitemap()
        elif source.type == "urllist":
            text = await _read_text(source, fetcher, store, out)
            if text is not None:
                out.candidates, problems = urllist.parse_url_list(text, source.location, hints)
                out.dead_letters.extend(_broken(source, None, p) for p in problems)
        elif source.type == "html_dir":
            out.candidates, problems = local.scan_html_dir(Path(source.location), hints)
            out.dead_letters.extend(_broken(source, None, p) for p in problems)
        elif source.type == "warc":
            out.candidates = local.scan_warc(Path(source.location), hints)
    except SourceBroken as exc:
        out.dead_letters.append(_broken(source, source.location, exc))
    except OSError as exc:
        out.dead_letters.append(_broken(source, source.location, SourceBroken("unreadable", str(exc))))
    return out


async def _read_text(
    source: SourceConfig, fetcher: Fetcher, store: ValidatorStore, out: Discovery
) -> str | None:
    if not source.is_url:
        return Path(source.location).read_text(encoding="utf-8")
    document = await _Walker(source, fetcher, store, out).get(source.location)
    if document is None:
        out.not_modified = not out.dead_letters
        return None
    return document.body.decode("utf-8", errors="replace")
