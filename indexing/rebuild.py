"""Rebuild: fill ``<alias>-v{N+1}`` from the whole topic, then swap the alias to it atomically.

Used after a mapping change (a new template) or to recover a damaged index. The live indexer keeps writing
through the alias meanwhile; after the swap one more catch-up pass copies what it wrote to the old index
in between, and external versioning makes the overlap harmless.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from elasticsearch import Elasticsearch

from indexing import templates
from indexing.indexer import Indexer, IndexReport
from schemas.settings import Settings

log = logging.getLogger(__name__)


@dataclass
class RebuildReport:
    new_index: str
    old_indices: list[str]
    before_swap: IndexReport
    after_swap: IndexReport


def rebuild_group(settings: Settings, index: str) -> str:
    """A consumer group of its own per rebuild, so it reads the topic from the start."""
    return f"{settings.indexer_group}-rebuild-{index}"


def rebuild(settings: Settings, *, alias: str | None = None, topic: str | None = None) -> RebuildReport:
    """Create the next index version, catch it up with the topic, swap the alias, catch up once more."""
    alias = alias or settings.index_alias
    es = Elasticsearch(settings.es_url)
    templates.ensure_index(es, alias)
    new_index = templates.next_index(es, alias)
    templates.create_index(es, new_index)
    group = rebuild_group(settings, new_index)
    log.info("rebuilding %s into %s (group %s)", alias, new_index, group)
    before = Indexer(settings, topic=topic, group=group, target=new_index, es=es).run(until_caught_up=True)
    es.indices.refresh(index=new_index)
    old = templates.swap_alias(es, alias, new_index)
    log.info("alias %s now on %s (was %s)", alias, new_index, old)
    after = Indexer(settings, topic=topic, group=group, target=new_index, es=es).run(until_caught_up=True)
    return RebuildReport(new_index, old, before, after)
