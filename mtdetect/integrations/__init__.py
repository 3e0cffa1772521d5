"""Plug-ins for data pipelines (datatrove); each needs its own extra."""
