"""mtdetect: find news copies that were machine-rewritten by round-trip translation."""

__version__ = "0.1.0"
