# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The registry: every resource type the collection manages, by name (explicit and alphabetical).

The table itself is ``_registry_specs.py``, written by ``tools/gen_module_docs.py`` from the files
under ``specs/`` (one import per spec, so AnsiballZ ships them): adding a type is adding its spec
file, with no edit here. The original design's type strings (``opnsense:firewall:alias``, ...) are
accepted as aliases (design.md 1); each spec lists its own.
"""

from __future__ import annotations

from typing import Dict

from ansible_collections.opnform.opnsense.plugins.module_utils._registry_specs import SPECS
from ansible_collections.opnform.opnsense.plugins.module_utils._spec import ResourceSpec

REGISTRY: Dict[str, ResourceSpec] = SPECS

ALIASES: Dict[str, str] = dict((alias, spec.type) for spec in REGISTRY.values() for alias in spec.aliases)


def canonical_type(name: str) -> str:
    """The registry name for a type name or one of its aliases; KeyError if unknown."""
    if name in REGISTRY:
        return name
    if name in ALIASES:
        return ALIASES[name]
    raise KeyError("unknown resource type %r (known: %s)" % (name, ", ".join(sorted(REGISTRY))))


def get_spec(name: str) -> ResourceSpec:
    """The spec of a type, by its name or an alias such as ``opnsense:firewall:alias``."""
    return REGISTRY[canonical_type(name)]
