"""The chaos suite (``python -m bench.chaos``): faults during real runs on a throwaway stack.

See docs/reliability.md.
"""
