"""brackets features (being written)."""
