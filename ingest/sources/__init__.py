"""Where article URLs come from: feeds, sitemaps, URL lists and local archives (``sources.yaml``)."""
