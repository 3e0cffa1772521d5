"""statistics features (being written)."""
