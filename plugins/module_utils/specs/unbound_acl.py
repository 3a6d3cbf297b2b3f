# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Resource type unbound_acl: Unbound access lists (``acls.acl``;
simulator/opnsense_sim/services/unbound/README.md)."""

from __future__ import annotations

from ansible_collections.opnform.opnsense.plugins.module_utils._spec import (
    Commands,
    ResourceSpec,
    boolean,
    multi,
    option,
    text,
)

SPEC = ResourceSpec(
    type="unbound_acl",
    module="unbound",
    controller="settings",
    key="acl",
    identity=("name",),
    summary="Manage OPNsense Unbound access lists",
    description=(
        "Create, update or delete an Unbound access list: what Unbound does with queries from a set of networks.",
        "The access list is identified by O(name).",
        "By default the change is applied at once (C(unbound/service/reconfigure)); with O(reload=false) "
        "it is only saved, and M(opnform.opnsense.reload) with subsystem V(unbound) applies it later.",
    ),
    notes=(
        "OPNsense does not require names to be unique; the module refuses to act on a name two access lists share.",
        "The action for networks no list names is a setting of Unbound's general page, not managed here.",
    ),
    commands=Commands(
        search="searchAcl",
        get="getAcl",
        add="addAcl",
        set="setAcl",
        delete="delAcl",
        toggle="toggleAcl",
    ),
    reload="unbound",
    fields=(
        boolean("enabled", True, "Whether the access list is active."),
        text(
            "name",
            "Name of the access list (no spaces); the identity.",
            required=True,
            ftype="StrictTextField",
            message="An Access list name is required.",
        ),
        option(
            "action",
            ("allow", "deny", "refuse", "allow_snoop", "deny_non_local", "refuse_non_local"),
            "allow",
            "What Unbound does with queries from O(networks): answer (V(allow), V(allow_snoop) also for "
            "cache snooping), drop (V(deny)) or answer REFUSED (V(refuse)); the V(*_non_local) forms do so only for "
            "queries for data that is not local.",
        ),
        multi(
            "networks",
            doc="Networks in CIDR notation (IPv4 or IPv6), for example V(192.168.1.0/24).",
            required=True,
            ftype="NetworkField",
            xml=(("NetMaskRequired", "Y"), ("WildcardEnabled", "N"), ("AsList", "Y")),
            message="Please specify a one or more valid network segment in CIDR notation (Ipv4/IPv6).",
        ),
        text("description", "Free text description.", max_length=255, ftype="DescriptionField"),
    ),
)
