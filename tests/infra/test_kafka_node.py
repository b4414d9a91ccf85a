"""The KRaft cluster id the local stack formats its storage with (pure: no JVM)."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest

from infra import kafka_node

# A UUID whose first byte is 0xF8 encodes to an id starting with "-" (base64url 62 = "-").
DASH_FIRST = uuid.UUID(bytes=bytes([0xF8, *range(15)]))


def test_a_cluster_id_never_starts_with_a_dash(monkeypatch: pytest.MonkeyPatch) -> None:
    drawn = iter([DASH_FIRST, uuid.UUID(int=7)])
    monkeypatch.setattr(kafka_node.uuid, "uuid4", lambda: next(drawn))
    cluster_id = kafka_node.new_cluster_id()
    assert cluster_id == "AAAAAAAAAAAAAAAAAAAABw"  # the second draw
    assert len(cluster_id) == 22


def test_a_stored_id_that_starts_with_a_dash_is_replaced(tmp_path: Path) -> None:
    id_file = tmp_path / "cluster.id"
    id_file.write_text("-" + "A" * 21)
    fresh = kafka_node._cluster_id(tmp_path, id_file)
    assert not fresh.startswith("-") and id_file.read_text() == fresh
    assert kafka_node._cluster_id(tmp_path, id_file) == fresh  # kept from then on
