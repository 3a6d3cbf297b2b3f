# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Resource type interfaces_vlan: VLAN devices (opnsense-api/interfaces-and-services.md 1)."""

from __future__ import annotations

import re
from typing import Any, Dict, List, Tuple

from ansible_collections.opnform.opnsense.plugins.module_utils._spec import (
    Hooks,
    ResourceSpec,
    Unique,
    integer,
    option,
    text,
)


def validate(values: Dict[str, Any], facts: Any = None) -> List[Tuple[str, str]]:
    """Vlan::performValidation() (core models/OPNsense/Interfaces/Vlan.php) for a given device name:
    the prefix follows the parent (``qinq`` on a VLAN device, else ``vlan``), then digits and dots;
    the legacy ``<parent>_vlan<tag>`` name stays valid; a VLAN cannot be its own parent."""
    parent, tag, device = str(values.get("parent") or ""), values.get("tag"), str(values.get("device") or "")
    if not device:
        return []  # OPNsense names it
    out: List[Tuple[str, str]] = []
    prefix = "qinq" if "vlan" in parent else "vlan"
    if device == "%s_vlan%s" % (parent, tag):
        pass
    elif not device.startswith(prefix):
        out.append(("device", 'The device name prefix "%s" is required.' % prefix))
    elif not re.match(r"^%s0[0-9.]{1,10}$" % prefix, device):
        out.append(
            (
                "device",
                'Only a maximum of 15 characters is allowed starting with "%s0" combined with numeric characters '
                'and dots, e.g. "%s0.1.104".' % (prefix, prefix),
            )
        )
    if parent == device:
        out.extend(
            [("device", "VLAN can not be assigned to itself."), ("parent", "VLAN can not be assigned to itself.")]
        )
    return out


SPEC = ResourceSpec(
    type="interfaces_vlan",
    module="interfaces",
    controller="vlan_settings",
    key="vlan",
    identity=("parent", "tag"),
    display="{parent}.{tag}",
    # VlanSettingsController::setItemAction locks before generateVlanIfName() (commit d81dcd37e2)
    computes_under_lock_since=(26, 1, 8),
    aliases=("opnsense:network:vlan",),
    summary="Manage OPNsense VLAN devices",
    description=(
        "Create, update or delete a VLAN (802.1Q) or QinQ (802.1ad) device on a parent interface.",
        "The VLAN is identified by its parent device and tag (O(parent) + O(tag)); in messages it is "
        "named C(<parent>.<tag>), for example C(igb1.100).",
        "By default the change is applied at once (C(interfaces/vlan_settings/reconfigure)); with "
        "O(reload=false) it is only saved, and M(opnform.opnsense.reload) with subsystem V(vlans) applies it later.",
    ),
    notes=(
        "O(device) is only managed when given; otherwise OPNsense names a new device V(vlan0N) (or V(qinq0N)) itself.",
        "A VLAN that is assigned as an interface or carries QinQ devices cannot be deleted.",
    ),
    reload="vlans",
    fields=(
        text(
            "if",
            "Parent device name, for example V(igb1), V(vtnet0), or a VLAN device for QinQ; part of the identity.",
            name="parent",
            required=True,
            ftype="VlanInterfaceField",
            # A QinQ may sit on a VLAN device the same task creates.
            options_also=("interfaces_vlan", "device"),
        ),
        integer("tag", "VLAN tag (1-4094); part of the identity.", minimum=1, maximum=4094, required=True),
        integer(
            "pcp",
            "802.1p priority code point (0-7).",
            minimum=0,
            maximum=7,
            default=0,
            ftype="OptionField",
            choices=tuple(str(n) for n in range(8)),
        ),
        option("proto", ("802.1q", "802.1ad"), None, "VLAN protocol; empty means automatic."),
        text("descr", "Free text description.", name="description", max_length=255, ftype="DescriptionField"),
        text(
            "vlanif",
            "Device name, V(vlan0) or V(qinq0) followed by digits and dots (for example V(vlan0.100)). "
            "Only managed when given.",
            name="device",
            auto=True,
        ),
    ),
    unique=(
        Unique(("tag", "parent"), "Tag for this device must be unique."),
        Unique(("device",), "The device name must be unique."),
    ),
    hooks=Hooks(validate=validate),
)
