"""Imported by the pool's fork server (``ingest.pool``), never by application code.

Importing it loads the NLP models once, in the fork server; every pool worker is then forked from
that process with the models already in memory (shared copy-on-write) instead of loading its own
copy: one load per flow run instead of one per worker (~4 CPU seconds per worker here), and a
worker restarted after a crash is ready at once. A failed load here is not fatal: workers then
load their own (``ingest.pool._init_worker``).
"""

from __future__ import annotations

from ingest.core import ArticleBuilder

BUILDER = ArticleBuilder()
BUILDER.warm_up()
