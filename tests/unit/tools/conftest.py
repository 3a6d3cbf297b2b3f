"""The development tools import each other by name (``tools/`` is their ``sys.path`` entry when they
run), so their tests put ``tools/`` on the path the same way."""

from __future__ import annotations

import os
import sys

TOOLS = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", "..", "tools"))
if TOOLS not in sys.path:
    sys.path.insert(0, TOOLS)
