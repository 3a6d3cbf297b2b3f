# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""A minimal checkpoint store: a snapshot of every object of the models an apply touches, taken
after the refresh and saved before the first write (``checkpoints/<id>.json``).

The full feature (listing, restoring a checkpoint as a plan, retention) is its own issue; this store
only guarantees that each apply leaves a durable pre-apply snapshot the later feature can use, and
that the snapshot holds no secret (sensitive fields are withheld and listed).
"""

from __future__ import annotations

import time
from typing import Any, Dict, List, Optional

from ansible_collections.opnform.opnsense.plugins.plugin_utils._redact import Redactor, strip_sensitive
from ansible_collections.opnform.opnsense.plugins.plugin_utils._state import StateDir, atomic_write_json, read_json


def new_checkpoint_id(run_id: str) -> str:
    return "cp-" + run_id


def save_checkpoint(
    state: StateDir,
    checkpoint_id: str,
    run_id: str,
    deployment: str,
    objects: Dict[str, Dict[str, Dict[str, Any]]],
    specs: Dict[str, Any],
    redactor: Optional[Redactor] = None,
    firewall_version: Optional[str] = None,
) -> str:
    """Write the snapshot ``{type: {uuid: api payload}}``; returns the file path."""
    redactor = redactor or Redactor()
    stored: Dict[str, Dict[str, Dict[str, Any]]] = {}
    withheld: Dict[str, List[str]] = {}
    for type_name, items in sorted(objects.items()):
        spec = specs[type_name]
        stored[type_name] = {}
        for uuid, payload in sorted(items.items()):
            clean, missing = strip_sensitive(spec, payload)
            stored[type_name][uuid] = clean or {}
            if missing:
                withheld["%s/%s" % (type_name, uuid)] = missing
    data = {
        "id": checkpoint_id,
        "run_id": run_id,
        "deployment": deployment,
        "firewall": state.firewall,
        "firewall_version": firewall_version,
        "created": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "objects": stored,
        "withheld": withheld,
    }
    path = state.checkpoint_path(checkpoint_id)
    atomic_write_json(path, redactor.scrub(data))
    return path


def load_checkpoint(state: StateDir, checkpoint_id: str) -> Optional[Dict[str, Any]]:
    return read_json(state.checkpoint_path(checkpoint_id))
