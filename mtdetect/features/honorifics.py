"""honorifics features (being written)."""
