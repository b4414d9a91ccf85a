"""The index lifecycle: the template, the versioned indices ``<alias>-vN`` and the alias in front.

Readers and the live indexer only ever use the alias; a rebuild fills ``<alias>-v{N+1}`` and swaps the
alias in one atomic ``update_aliases`` call. Every function takes the alias so tests use unique names.
"""

from __future__ import annotations

import json
import re
from importlib import resources
from typing import Any

from elasticsearch import BadRequestError, Elasticsearch, NotFoundError

TEMPLATE_RESOURCE = "articles_index.v1.json"
FIRST_VERSION = 1


def load_template_body() -> dict[str, Any]:
    """The index template body (settings, mappings, priority) from ``schemas/``."""
    return json.loads(resources.files("schemas").joinpath(TEMPLATE_RESOURCE).read_text("utf-8"))


def template_name(alias: str) -> str:
    return f"{alias}-template"


def index_name(alias: str, version: int) -> str:
    return f"{alias}-v{version}"


def index_version(alias: str, index: str) -> int | None:
    """N for ``<alias>-vN``, None for any other name."""
    match = re.fullmatch(re.escape(alias) + r"-v(\d+)", index)
    return int(match.group(1)) if match else None


def put_template(es: Elasticsearch, alias: str) -> None:
    """Install (or overwrite: idempotent) the template that every ``<alias>-vN`` index is created from."""
    body = load_template_body()
    es.indices.put_index_template(
        name=template_name(alias),
        index_patterns=[f"{alias}-v*"],
        template=body["template"],
        priority=body["priority"],
        version=body["version"],
        meta=body.get("_meta"),
    )


def indices_behind(es: Elasticsearch, alias: str) -> list[str]:
    """The concrete indices the alias points at (normally exactly one)."""
    try:
        return sorted(es.indices.get_alias(name=alias).body)
    except NotFoundError:
        return []


def create_index(es: Elasticsearch, index: str) -> None:
    """Create ``index`` from the template; an index that already exists is fine (a concurrent starter)."""
    try:
        es.indices.create(index=index)
    except BadRequestError as exc:
        if exc.error != "resource_already_exists_exception":
            raise


def add_missing_fields(es: Elasticsearch, index: str) -> list[str]:
    """Map on ``index`` the template's top-level fields it lacks (an index created from an older template);
    returns their names.

    Adding fields is the one mapping change an existing index accepts. Without it the mapping's
    ``dynamic: strict`` would reject, and the indexer dead-letter, every document carrying a field the
    index predates (e.g. the language fields ``title_en``...) until ``newsflow index rebuild``, which is
    still what gives the index the rest of the new template (fields changed or removed, ``_source``).
    """
    mapped = es.indices.get_mapping(index=index).body[index]["mappings"].get("properties", {})
    wanted = load_template_body()["template"]["mappings"]["properties"]
    missing = {name: field for name, field in wanted.items() if name not in mapped}
    if missing:
        es.indices.put_mapping(index=index, properties=missing)
    return sorted(missing)


def apply_replica_policy(es: Elasticsearch, index: str) -> bool:
    """Give ``index`` the template's ``auto_expand_replicas`` if it has another replica setting; True if
    changed.

    ``0-1``: no replica on a single node (a replica could never be allocated there and the index would
    stay yellow), one as soon as a second data node joins (``newsflow stack up --es-nodes 2``), so losing
    a node loses no acknowledged article and search keeps answering. Re-applied to an index created from
    an older template, as Elasticsearch changes replicas on a live index.
    """
    wanted = load_template_body()["template"]["settings"]["index"]["auto_expand_replicas"]
    current = es.indices.get_settings(index=index, name="index.auto_expand_replicas").body
    if current.get(index, {}).get("settings", {}).get("index", {}).get("auto_expand_replicas") == wanted:
        return False
    es.indices.put_settings(index=index, settings={"index": {"auto_expand_replicas": wanted}})
    return True


def ensure_index(es: Elasticsearch, alias: str) -> str:
    """Template, ``<alias>-v1`` and the alias, each created only if missing; returns the index behind it
    (with the template's new fields added, :func:`add_missing_fields`, and its replica policy,
    :func:`apply_replica_policy`)."""
    put_template(es, alias)
    current = indices_behind(es, alias)
    if current:
        add_missing_fields(es, current[-1])
        apply_replica_policy(es, current[-1])
        return current[-1]
    index = index_name(alias, FIRST_VERSION)
    create_index(es, index)
    es.indices.put_alias(index=index, name=alias, is_write_index=True)
    return index


def next_index(es: Elasticsearch, alias: str) -> str:
    """``<alias>-v{N+1}`` where N is the highest existing version (whether or not the alias is on it)."""
    existing = es.indices.get(index=f"{alias}-v*", allow_no_indices=True, expand_wildcards="all").body
    versions = [v for v in (index_version(alias, name) for name in existing) if v is not None]
    return index_name(alias, max(versions, default=0) + 1)


def swap_alias(es: Elasticsearch, alias: str, new_index: str) -> list[str]:
    """Point the alias at ``new_index`` only, atomically (remove + add in one call); returns the old ones."""
    old = [index for index in indices_behind(es, alias) if index != new_index]
    actions: list[dict[str, Any]] = [{"remove": {"index": index, "alias": alias}} for index in old]
    actions.append({"add": {"index": new_index, "alias": alias, "is_write_index": True}})
    es.indices.update_aliases(actions=actions)
    return old
