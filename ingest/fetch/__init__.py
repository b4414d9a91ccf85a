"""Polite, guarded HTTP fetching: URL -> ``RawPage`` or ``DeadLetter``."""
