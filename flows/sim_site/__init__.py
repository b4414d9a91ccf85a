"""A simulated news site on 127.0.0.1 for tests, the demo and benchmarks (see ``server.py``)."""

from flows.sim_site.corpus import load_pages
from flows.sim_site.server import SimSite

__all__ = ["SimSite", "load_pages"]
