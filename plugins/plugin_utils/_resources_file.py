# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The ``resources_file`` option of ``apply`` and ``plan``: the resources read from a file on the controller.

Large sets (thousands of resources) are better read by the action plugin itself than passed as a
variable: Ansible templates every task argument, and templating a 15,000-element list costs several
times what planning it does. The file is plain data (JSON, or YAML read with libyaml where it is
installed), never templated; it holds the list itself or a mapping with a ``resources`` key, so a
vars file can double as a resources file. Every error names the file.
"""

from __future__ import annotations

import json
import os
from typing import Any, List

import yaml

from ansible_collections.opnform.opnsense.plugins.module_utils._errors import OpnError

# libyaml parses a large file about ten times faster than the pure-Python loader.
YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def read_resources_file(path: str) -> List[Any]:
    """The resource list in ``path`` (JSON when it ends in ``.json``, else YAML); raises ``OpnError``."""
    try:
        with open(path, "rb") as handle:
            data = _parse(handle.read(), path)
    except OSError as exc:
        raise OpnError("resources_file %s cannot be read: %s" % (path, exc.strerror or exc)) from None
    if isinstance(data, dict) and "resources" in data:
        data = data["resources"]
    if not isinstance(data, list):
        raise OpnError(
            "resources_file %s must hold a list of resources or a mapping with a resources key, got %s"
            % (path, type(data).__name__)
        )
    return data


def _parse(text: bytes, path: str) -> Any:
    """JSON or YAML, by the file's extension; a syntax error is reported with the file's name."""
    try:
        if _kind(path) == "JSON":
            return json.loads(text)
        return yaml.load(text, Loader=YAML_LOADER)  # nosec B506: a safe loader
    except (ValueError, yaml.YAMLError) as exc:
        raise OpnError("resources_file %s is not valid %s: %s" % (path, _kind(path), exc)) from None


def _kind(path: str) -> str:
    return "JSON" if os.path.splitext(path)[1].lower() == ".json" else "YAML"
