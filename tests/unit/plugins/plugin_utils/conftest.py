"""Fixtures of the plugin_utils unit tests: the engine's, from ``engine_helpers``."""

from engine_helpers import engine, fw, run, state  # noqa: F401 - pytest finds fixtures by name
