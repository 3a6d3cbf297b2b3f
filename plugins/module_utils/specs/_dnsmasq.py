# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the Dnsmasq types share (core 26.7.2 models/OPNsense/Dnsmasq/Dnsmasq.xml, Dnsmasq.php;
simulator/opnsense_sim/services/dnsmasq/README.md)."""

from __future__ import annotations

from typing import Any, List

from ansible_collections.opnform.opnsense.plugins.module_utils._spec import text

DESCRIPTION_TAIL = (
    "By default the change is applied at once (C(dnsmasq/service/reconfigure), which also reloads the "
    "firewall filter); with O(reload=false) it is only saved, and M(opnform.opnsense.reload) with "
    "subsystem V(dnsmasq) applies it later."
)


def set_tag(what: str) -> Any:
    """``set_tag``: a ModelRelationField onto the model's DHCP tags, which this collection does not manage."""
    return text(
        "set_tag",
        "UUID of the Dnsmasq DHCP tag to set for %s (DHCP tags are not managed by this collection)." % what,
        ftype="ModelRelationField",
    )


def given(value: Any) -> bool:
    """PHP's ``!isEmpty()`` of the stored string."""
    return value not in (None, "", [], False)


def items(value: Any) -> List[str]:
    """``getValues()`` of a list field: its non-empty entries."""
    if value in (None, "", []):
        return []
    raw = [str(v) for v in value] if isinstance(value, (list, tuple)) else str(value).split(",")
    return [v for v in raw if v != ""]
