"""A simulated news site on 127.0.0.1 for tests, the demo and benchmarks (see ``server.py``)."""

from tests.sim_site.corpus import load_pages
from tests.sim_site.server import SimSite

__all__ = ["SimSite", "load_pages"]
