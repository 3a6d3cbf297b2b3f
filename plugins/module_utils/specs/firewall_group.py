# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Resource type firewall_group: interface groups (core models/OPNsense/Firewall/Group.xml,
controllers/OPNsense/Firewall/Api/GroupController.php; simulator services/firewall/FACTS.md)."""

from __future__ import annotations

from ansible_collections.opnform.opnsense.plugins.module_utils._spec import (
    ResourceSpec,
    Unique,
    boolean,
    integer,
    multi,
    text,
)

SPEC = ResourceSpec(
    type="firewall_group",
    module="firewall",
    controller="group",
    key="group",
    identity=("name",),
    display="{name}",
    summary="Manage OPNsense firewall interface groups",
    description=(
        "Create, update or delete an interface group (Firewall > Groups): a name that stands for several "
        "interfaces in firewall and NAT rules.",
        "The group is identified by its O(name).",
        "By default the change is applied at once (C(firewall/group/reconfigure), which registers the groups "
        "as interfaces and reloads the filter); with O(reload=false) it is only saved, and "
        "M(opnform.opnsense.reload) with subsystem V(groups) applies it later.",
    ),
    notes=(
        "OPNsense offers a group as a rule interface only once it has been applied (registered as an interface): "
        "a rule naming a new group must be created after the group's reload, for example in a later task.",
        "A group that a filter or NAT rule uses cannot be deleted.",
        "The built-in groups V(openvpn), V(enc0) and V(wireguard) are never matched or changed.",
    ),
    reload="groups",
    fields=(
        text(
            "ifname",
            "Group name: letters, digits and underscores, at most 15 characters, not starting or ending with a "
            "digit; part of the identity.",
            name="name",
            required=True,
            ftype="GroupNameField",
        ),
        multi(
            "members",
            doc="Member interfaces, by key (V(lan), V(wan), V(opt1)).",
            required=True,
            ftype="InterfaceField",
        ),
        boolean(
            "nogroup", False, "Do not group the member interfaces under this group in the web GUI's interfaces menu."
        ),
        integer(
            "sequence",
            "Priority of the group's rules among groups (0-9999, lower first).",
            minimum=0,
            maximum=9999,
            default=0,
            message="Provide a valid sequence number for sorting.",
        ),
        text("descr", "Free text description.", name="description", max_length=255, ftype="DescriptionField"),
    ),
    unique=(Unique(("name",), "Group name already exists."),),
)
