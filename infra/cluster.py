"""The shape of the local stack: how many Kafka brokers and Elasticsearch nodes, and each node's ports.

One broker and one Elasticsearch node is the default (the single-node stack, unchanged). A cluster
(``newsflow stack up --kafka-brokers 3 --es-nodes 2``) puts its nodes on consecutive ports from the
configured ones, each with its own data dir and log. ``stack up`` records the shape in the data dir so
``down``, ``status`` and ``logs`` know it without the flags.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path

# Kafka's usual production replication: a partition survives one broker lost while a second one is
# down for maintenance. A 2-broker cluster gets 2 copies, one broker 1.
MAX_REPLICATION_FACTOR = 3
# Writes need 2 acknowledged copies when there are 3: one broker can die and producers (acks=all)
# keep going, while no acknowledged write ever lives on a single disk.
CLUSTER_MIN_INSYNC_REPLICAS = 2
# Transport ports sit this far above the HTTP ports (9200 -> 9300, as Elasticsearch's own defaults).
ES_TRANSPORT_OFFSET = 100
# Elasticsearch needs a majority of master-eligible nodes; with fewer than 3 nodes only the first
# is master-eligible (2 voters could not lose either), so the cluster survives losing any other node.
ES_MIN_NODES_ALL_MASTERS = 3
# Upper bounds that keep a typo from starting dozens of JVMs on one machine.
MAX_KAFKA_BROKERS = 5
MAX_ES_NODES = 5
HOST = "127.0.0.1"


@dataclass(frozen=True)
class KafkaNode:
    node_id: int
    port: int
    controller_port: int


@dataclass(frozen=True)
class EsNode:
    name: str
    http_port: int
    transport_port: int
    master_eligible: bool


@dataclass(frozen=True)
class ClusterShape:
    kafka_brokers: int = 1
    es_nodes: int = 1

    def __post_init__(self) -> None:
        if not 1 <= self.kafka_brokers <= MAX_KAFKA_BROKERS:
            raise ValueError(f"--kafka-brokers must be 1..{MAX_KAFKA_BROKERS}, got {self.kafka_brokers}")
        if not 1 <= self.es_nodes <= MAX_ES_NODES:
            raise ValueError(f"--es-nodes must be 1..{MAX_ES_NODES}, got {self.es_nodes}")

    def kafka_nodes(self, base_port: int) -> list[KafkaNode]:
        """Broker ``i`` listens on ``base + i``, its controller on ``base + brokers + i`` (one node: the
        single stack's ``port`` and ``port + 1``)."""
        n = self.kafka_brokers
        return [KafkaNode(i + 1, base_port + i, base_port + n + i) for i in range(n)]

    def es_nodes_at(self, base_http_port: int) -> list[EsNode]:
        """Node ``i`` serves HTTP on ``base + i`` and transport on ``base + 100 + i``."""
        all_masters = self.es_nodes >= ES_MIN_NODES_ALL_MASTERS
        return [
            EsNode(
                f"es-{i + 1}",
                base_http_port + i,
                base_http_port + ES_TRANSPORT_OFFSET + i,
                all_masters or i == 0,
            )
            for i in range(self.es_nodes)
        ]


def voters(nodes: list[KafkaNode]) -> str:
    """The KRaft ``controller.quorum.voters`` value: every node is a controller."""
    return ",".join(f"{node.node_id}@{HOST}:{node.controller_port}" for node in nodes)


def bootstrap(nodes: list[KafkaNode]) -> str:
    """Every broker, so a client starting while one is down still finds the others."""
    return ",".join(f"{HOST}:{node.port}" for node in nodes)


def replication(brokers: int) -> tuple[int, int]:
    """(replication factor, min.insync.replicas) for a cluster of ``brokers``: (1, 1), (2, 1), (3, 2)."""
    factor = min(brokers, MAX_REPLICATION_FACTOR)
    return factor, CLUSTER_MIN_INSYNC_REPLICAS if factor >= MAX_REPLICATION_FACTOR else 1


def es_node_settings(node: EsNode, cluster: list[EsNode]) -> dict[str, str]:
    """Settings overriding the launcher's single-node defaults; none for a one-node stack."""
    if len(cluster) == 1:
        return {}
    return {
        "node.name": node.name,
        "discovery.type": "multi-node",
        "discovery.seed_hosts": ",".join(f"{HOST}:{n.transport_port}" for n in cluster),
        "cluster.initial_master_nodes": ",".join(n.name for n in cluster if n.master_eligible),
        "node.roles": "master,data,ingest" if node.master_eligible else "data,ingest",
    }


def _shape_file(data_dir: Path) -> Path:
    return data_dir / "run" / "shape.json"


def load_shape(data_dir: Path) -> ClusterShape | None:
    """The shape recorded by the last ``stack up`` in this data dir, if any."""
    try:
        return ClusterShape(**json.loads(_shape_file(data_dir).read_text()))
    except FileNotFoundError:
        return None


def save_shape(data_dir: Path, shape: ClusterShape) -> None:
    path = _shape_file(data_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(asdict(shape)))


def forget_shape(data_dir: Path) -> None:
    _shape_file(data_dir).unlink(missing_ok=True)
