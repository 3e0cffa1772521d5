"""names features (being written)."""
