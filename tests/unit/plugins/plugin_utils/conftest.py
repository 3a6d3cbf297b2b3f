"""Fixtures of the plugin_utils unit tests: the engine's, from ``engine_helpers``."""

# pytest finds fixtures by name in a conftest's namespace, so importing them is what registers them.
from engine_helpers import engine, fw, run, state  # noqa: F401 pylint: disable=unused-import
