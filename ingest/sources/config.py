"""``sources.yaml``: the list of sources, validated with errors that name the source and the field.

Example::

    sources:
      - name: planet-rss
        type: rss                      # rss | atom | feed (either) | sitemap | urllist | html_dir | warc
        location: http://127.0.0.1:8765/planet/rss.xml   # URL, or a path relative to this file
        interval_s: 900                # or  cron: "*/15 * * * *"  (exactly one of the two)
        language: en                   # optional hint, ISO 639-1
        tags: [demo]
        enabled: true
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

import yaml
from croniter import croniter
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

SourceType = Literal["rss", "atom", "feed", "sitemap", "urllist", "html_dir", "warc"]

# Types whose location must be fetched over HTTP; the others also accept a local path.
HTTP_ONLY_TYPES = frozenset({"rss", "atom", "feed", "sitemap"})
LOCAL_ONLY_TYPES = frozenset({"html_dir", "warc"})

# Polling more often than once a minute is never polite for a feed, and cron cannot express it.
MIN_INTERVAL_S = 60


class SourcesConfigError(ValueError):
    """sources.yaml is unreadable or invalid; the message lists every problem, one a line."""


class SourceConfig(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(pattern=r"^[a-z0-9][a-z0-9_.-]*$", max_length=64)
    type: SourceType
    location: str = Field(min_length=1, description="URL, or a path (relative to sources.yaml)")
    cron: str | None = None
    interval_s: int | None = Field(default=None, ge=MIN_INTERVAL_S)
    language: str | None = Field(default=None, pattern=r"^[a-z]{2}$")
    tags: tuple[str, ...] = ()
    enabled: bool = True

    @field_validator("cron")
    @classmethod
    def _cron_is_valid(cls, value: str | None) -> str | None:
        if value is not None and not croniter.is_valid(value):
            raise ValueError(f"not a valid cron expression: {value!r}")
        return value

    @model_validator(mode="after")
    def _check(self) -> SourceConfig:
        if (self.cron is None) == (self.interval_s is None):
            raise ValueError("give exactly one of 'cron' or 'interval_s' as the schedule")
        scheme = urlsplit(self.location).scheme
        if scheme not in ("", "http", "https") and len(scheme) > 1:  # one letter: a Windows drive
            raise ValueError(f"location must be an http(s) URL or a local path, not a {scheme}: URL")
        if self.type in HTTP_ONLY_TYPES and not self.is_url:
            raise ValueError(f"location must be an http(s) URL for type {self.type!r}")
        if self.type in LOCAL_ONLY_TYPES and self.is_url:
            raise ValueError(f"location must be a local path for type {self.type!r}")
        return self

    @property
    def is_url(self) -> bool:
        return urlsplit(self.location).scheme in ("http", "https")


def _describe(error: dict, raw: object, index: int) -> str:
    name = raw.get("name") if isinstance(raw, dict) else None
    who = f"source {name!r}" if name else f"source #{index + 1}"
    field = ".".join(str(part) for part in error["loc"]) or "(source)"
    return f"{who}: field {field}: {error['msg']}"


def parse_sources(data: object, base_dir: Path) -> list[SourceConfig]:
    """Validate the parsed YAML document; relative local paths are made absolute against ``base_dir``."""
    if not isinstance(data, dict) or not isinstance(data.get("sources"), list):
        raise SourcesConfigError("expected a mapping with a 'sources' list at the top level")
    problems: list[str] = []
    sources: list[SourceConfig] = []
    for index, raw in enumerate(data["sources"]):
        try:
            source = SourceConfig.model_validate(raw)
        except ValidationError as exc:
            problems.extend(_describe(error, raw, index) for error in exc.errors())
            continue
        if not source.is_url and not Path(source.location).is_absolute():
            source = source.model_copy(update={"location": str((base_dir / source.location).resolve())})
        sources.append(source)
    seen: set[str] = set()
    for source in sources:
        if source.name in seen:
            problems.append(f"source {source.name!r}: field name: duplicate source name")
        seen.add(source.name)
    if problems:
        raise SourcesConfigError("\n".join(problems))
    return sources


def load_sources(path: Path) -> list[SourceConfig]:
    """All sources of a sources.yaml file (enabled or not), or ``SourcesConfigError``."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise SourcesConfigError(f"{path}: cannot read: {exc}") from exc
    except yaml.YAMLError as exc:
        raise SourcesConfigError(f"{path}: not valid YAML: {exc}") from exc
    try:
        return parse_sources(data, path.parent)
    except SourcesConfigError as exc:
        raise SourcesConfigError(f"{path}:\n{exc}") from None


def find_source(sources: list[SourceConfig], name: str) -> SourceConfig:
    for source in sources:
        if source.name == name:
            return source
    raise SourcesConfigError(f"no source named {name!r}; known: {', '.join(s.name for s in sources)}")
