"""Kafka at the edge of ingestion: topics, the article-event producer and the dead-letter producer."""
