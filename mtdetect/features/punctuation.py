"""punctuation features (being written)."""
