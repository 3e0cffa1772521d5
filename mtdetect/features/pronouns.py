"""pronouns features (being written)."""
