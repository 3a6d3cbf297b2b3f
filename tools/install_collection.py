#!/usr/bin/env python
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Build the collection with ``ansible-galaxy`` and install it into ``build/collections``, as a user would.

``make collection`` and ``tools/demo.py`` both use it, so that the demo works however it is
started; :func:`ansible_env` gives the environment that points Ansible at that installation.

    python tools/install_collection.py            # build, install, print the path
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
COLLECTIONS = ROOT / "build" / "collections"
DIST = ROOT / "dist"


def install(quiet: bool = True) -> Path:
    """Build ``dist/opnform-opnsense-*.tar.gz`` and install it into ``build/collections``."""
    galaxy = str(Path(sys.executable).parent / "ansible-galaxy")
    shutil.rmtree(DIST, ignore_errors=True)
    shutil.rmtree(COLLECTIONS, ignore_errors=True)
    out = subprocess.DEVNULL if quiet else None
    env = ansible_env()
    subprocess.run(
        [galaxy, "collection", "build", "--force", "--output-path", str(DIST)],
        cwd=ROOT,
        check=True,
        stdout=out,
        env=env,
    )
    tarball = next(DIST.glob("opnform-opnsense-*.tar.gz"))
    install_cmd = [galaxy, "collection", "install", "--force", "-p", str(COLLECTIONS), str(tarball)]
    subprocess.run(install_cmd, cwd=ROOT, check=True, stdout=out, env=env)
    return COLLECTIONS


def ansible_env(base: dict = None) -> dict:
    """``base`` (default: this process's environment) with Ansible pointed at ``build/collections``."""
    env = dict(os.environ if base is None else base)
    env["ANSIBLE_COLLECTIONS_PATH"] = str(COLLECTIONS)
    return env


if __name__ == "__main__":
    print("collection installed in %s" % install().relative_to(ROOT))
