"""The stories stage: duplicates and story clusters, assigned online from the ``articles`` topic.

``features`` (article -> what the clusterer compares), ``dedup`` (exact and near-duplicate copies),
``clusterer`` (online story clustering), ``assigner`` (both, with the sliding window) are pure;
``store`` (the ``stories`` index and the partial updates of ``articles``) and ``stage`` (the Kafka
consumer) are the edges.
"""
