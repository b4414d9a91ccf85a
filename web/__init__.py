"""The search page for readers (``newsflow web``): depends on ``indexing/`` and ``schemas/`` only."""
