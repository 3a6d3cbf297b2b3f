"""Make the collection importable as ``ansible_collections.opnform.opnsense`` for plain pytest.

The repository root is the collection root, but Python needs it at a path ending in
``ansible_collections/opnform/opnsense``: a symlink farm under the temp dir provides that.
"""

from __future__ import annotations

import os
import sys
import tempfile

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", "..", ".."))


def _collection_parent() -> str:
    here = ROOT
    parts = here.split(os.sep)
    if len(parts) >= 3 and parts[-3] == "ansible_collections":
        return os.sep.join(parts[:-3])
    parent = os.path.join(tempfile.gettempdir(), "opnform-pytest-%d" % os.getuid())
    link = os.path.join(parent, "ansible_collections", "opnform", "opnsense")
    os.makedirs(os.path.dirname(link), exist_ok=True)
    if not os.path.islink(link) or os.readlink(link) != ROOT:
        tmp = link + ".%d" % os.getpid()
        os.symlink(ROOT, tmp)
        os.replace(tmp, link)
    return parent


_parent = _collection_parent()
if _parent not in sys.path:
    sys.path.insert(0, _parent)
