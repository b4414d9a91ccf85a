"""The one error a source parser raises: the source's document cannot be read as what it claims."""

from __future__ import annotations


class SourceBroken(Exception):
    """A feed/sitemap/list/archive that cannot be parsed; becomes a DeadLetter(stage=discover)."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(f"{reason}: {detail}")
        self.reason = reason
        self.detail = detail
