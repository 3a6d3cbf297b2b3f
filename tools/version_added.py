# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""``version_added`` of a module: the release that first shipped it, else the next release.

antsibull-changelog records in ``changelogs/changelog.yaml`` which modules each release added,
and at release time lists a module as new when its ``version_added`` is the version released. So a
released module keeps the version it came with, and a module not released yet gets the version in
``galaxy.yml``, or the next minor version when that one is already released (a new module is a
minor change).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Dict, Tuple

import yaml


def _key(version: str) -> Tuple[int, ...]:
    return tuple(int(part) for part in str(version).split("-", maxsplit=1)[0].split("."))


def first_releases(releases: Dict[str, Any]) -> Dict[str, str]:
    """``{module: version}`` for every module a release added (``releases`` of changelog.yaml)."""
    found: Dict[str, str] = {}
    for version in sorted(releases, key=_key):
        for module in (releases[version] or {}).get("modules") or []:
            found.setdefault(module["name"], str(version))
    return found


def next_version(version: str, releases: Dict[str, Any]) -> str:
    """``version`` if it is not released yet, else the minor version after it."""
    if str(version) not in releases:
        return str(version)
    major, minor = _key(version)[:2]
    return "%d.%d.0" % (major, minor + 1)


class VersionAdded(object):
    """``version_added(name)`` for the collection at ``root``."""

    def __init__(self, root: Path) -> None:
        changelog = root / "changelogs" / "changelog.yaml"
        data = yaml.safe_load(changelog.read_text()) if changelog.exists() else None
        releases = dict((str(k), v) for k, v in ((data or {}).get("releases") or {}).items())
        self.released = first_releases(releases)
        self.next = next_version(yaml.safe_load((root / "galaxy.yml").read_text())["version"], releases)

    def __call__(self, name: str) -> str:
        return self.released.get(name, self.next)
