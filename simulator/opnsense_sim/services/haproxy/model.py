"""The `haproxy` model: mount OPNsense/HAProxy, version 5.0.0, reload subsystem "haproxy".

Every field is data, HAProxy.json, generated from the plugin's HAProxy.xml (haproxy.md section 3);
CertificateField, the one type with code of its own, is in fieldtypes.py. Item containers are in
HAProxy.xml order, which is config.xml order: the safe-delete scan reports referrers in that order
(haproxy.md 4), and the whole-model `get` lists them so.
"""

from __future__ import annotations

from pathlib import Path

from ...core.modeldata import load_model
from . import fieldtypes  # noqa: F401  (registers CertificateField)

MODEL = load_model(Path(__file__).with_name("HAProxy.json"), name="haproxy", subsystem="haproxy", title="HAProxy")

# Top-level order of the whole-model `get` (HAProxy.xml): settings live under general and maintenance.
TREE_ORDER = ["general", *(it.path.split(".")[0] for it in MODEL.items), "maintenance"]
