# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Make this checkout importable as ``ansible_collections.opnform.opnsense`` without copying it.

The repository root is the collection root, but Python and Ansible need it at a path ending in
``ansible_collections/opnform/opnsense``. Under ansible-test the tree already is at such a path;
otherwise a symlink in a temp folder of this checkout's own provides it (one folder per checkout,
so that two checkouts testing at once never swap each other's link). The unit and end-to-end
tests and the module-doc generator all use it.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path
from typing import Union


def collection_parent(root: Union[str, Path], purpose: str) -> str:
    """The folder that holds ``ansible_collections/opnform/opnsense`` for the checkout at ``root``."""
    root = str(Path(root).resolve())
    parts = root.split(os.sep)
    if len(parts) >= 3 and parts[-3] == "ansible_collections":
        return os.sep.join(parts[:-3])
    digest = hashlib.sha1(root.encode()).hexdigest()[:10]
    parent = os.path.join(tempfile.gettempdir(), "opnform-%s-%d-%s" % (purpose, os.getuid(), digest))
    link = os.path.join(parent, "ansible_collections", "opnform", "opnsense")
    os.makedirs(os.path.dirname(link), exist_ok=True)
    if not os.path.islink(link) or os.readlink(link) != root:
        tmp = link + ".%d" % os.getpid()
        os.symlink(root, tmp)
        os.replace(tmp, link)
    return parent
