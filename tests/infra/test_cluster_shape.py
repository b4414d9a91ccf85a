"""The cluster shape's ports, quorum and replication rules (pure: no servers)."""

from __future__ import annotations

import pytest

from infra import cluster
from infra.cluster import ClusterShape
from ingest.publish.topics import replication_for


def test_single_node_keeps_the_single_stack_ports() -> None:
    shape = ClusterShape()
    assert shape.kafka_nodes(9092) == [cluster.KafkaNode(1, 9092, 9093)]
    [node] = shape.es_nodes_at(9200)
    assert (node.http_port, node.transport_port, node.master_eligible) == (9200, 9300, True)
    assert cluster.es_node_settings(node, [node]) == {}  # the launcher's single-node defaults


def test_three_brokers_form_one_quorum_on_consecutive_ports() -> None:
    nodes = ClusterShape(kafka_brokers=3).kafka_nodes(39092)
    assert [(n.node_id, n.port, n.controller_port) for n in nodes] == [
        (1, 39092, 39095),
        (2, 39093, 39096),
        (3, 39094, 39097),
    ]
    assert cluster.voters(nodes) == "1@127.0.0.1:39095,2@127.0.0.1:39096,3@127.0.0.1:39097"
    assert cluster.bootstrap(nodes) == "127.0.0.1:39092,127.0.0.1:39093,127.0.0.1:39094"


def test_two_es_nodes_have_one_master_and_find_each_other() -> None:
    nodes = ClusterShape(es_nodes=2).es_nodes_at(39200)
    first, second = (cluster.es_node_settings(node, nodes) for node in nodes)
    assert (
        first["discovery.seed_hosts"] == second["discovery.seed_hosts"] == "127.0.0.1:39300,127.0.0.1:39301"
    )
    assert first["cluster.initial_master_nodes"] == "es-1"
    assert (first["node.roles"], second["node.roles"]) == ("master,data,ingest", "data,ingest")
    three = ClusterShape(es_nodes=3).es_nodes_at(9200)
    assert all(node.master_eligible for node in three)


@pytest.mark.parametrize("brokers, expected", [(1, (1, 1)), (2, (2, 1)), (3, (3, 2)), (5, (3, 2))])
def test_replication_follows_the_cluster_size(brokers: int, expected: tuple[int, int]) -> None:
    assert replication_for(brokers) == expected
    assert cluster.replication(brokers) == expected  # the brokers' defaults for their internal topics


def test_shape_is_bounded_and_recorded(tmp_path) -> None:
    with pytest.raises(ValueError, match="--kafka-brokers"):
        ClusterShape(kafka_brokers=0)
    with pytest.raises(ValueError, match="--es-nodes"):
        ClusterShape(es_nodes=9)
    assert cluster.load_shape(tmp_path) is None
    cluster.save_shape(tmp_path, ClusterShape(3, 2))
    assert cluster.load_shape(tmp_path) == ClusterShape(3, 2)
    cluster.forget_shape(tmp_path)
    assert cluster.load_shape(tmp_path) is None
