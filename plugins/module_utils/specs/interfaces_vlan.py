# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Resource type interfaces_vlan: VLAN devices (opnsense-api/interfaces-and-services.md 1)."""

from __future__ import annotations

from ansible_collections.opnform.opnsense.plugins.module_utils._spec import (
    ResourceSpec,
    integer,
    option,
    text,
)

SPEC = ResourceSpec(
    type="interfaces_vlan",
    module="interfaces",
    controller="vlan_settings",
    key="vlan",
    identity=("parent", "tag"),
    display="{parent}.{tag}",
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
        ),
        integer("tag", "VLAN tag (1-4094); part of the identity.", minimum=1, maximum=4094, required=True),
        integer("pcp", "802.1p priority code point (0-7).", minimum=0, maximum=7, default=0),
        option("proto", ("802.1q", "802.1ad"), None, "VLAN protocol; empty means automatic."),
        text("descr", "Free text description.", name="description", max_length=255),
        text(
            "vlanif",
            "Device name, V(vlan0) or V(qinq0) followed by digits and dots (for example V(vlan0.100)). "
            "Only managed when given.",
            name="device",
            auto=True,
            pattern=r"^(vlan|qinq)0[0-9.]{1,10}$|^[a-z0-9]+_vlan[0-9]+$",
            pattern_message='must start with "vlan0" or "qinq0" followed by digits and dots, e.g. vlan0.104',
        ),
    ),
)
