# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Resource type unbound_host_alias: further names of an Unbound host override
(opnsense-api/interfaces-and-services.md 4)."""

from __future__ import annotations

from typing import Any, Dict, List, Tuple

from ansible_collections.opnform.opnsense.plugins.module_utils._spec import (
    Commands,
    Hooks,
    ResourceSpec,
    boolean,
    ref,
    text,
)
from ansible_collections.opnform.opnsense.plugins.module_utils.specs.unbound_host_override import DOMAIN_PATTERN


def validate(values: Dict[str, Any], facts: Any = None) -> List[Tuple[str, str]]:
    """The model's checks of an alias (core models/OPNsense/Unbound/Unbound.xml, ``aliases.alias``):
    a host name, a domain, or both."""
    if values.get("hostname") in (None, "") and values.get("domain") in (None, ""):
        return [
            ("hostname", "The host field is required if a domain has not been specified."),
            ("domain", "The domain field is required if a host has not been specified."),
        ]
    return []


SPEC = ResourceSpec(
    type="unbound_host_alias",
    module="unbound",
    controller="settings",
    key="alias",
    identity=("hostname", "domain"),
    display="{hostname}.{domain}",
    summary="Manage OPNsense Unbound DNS host aliases",
    description=(
        "Create, update or delete an alias of an Unbound DNS host override: one more name that resolves "
        "like the override it belongs to (M(opnform.opnsense.unbound_host_override)).",
        "The alias is identified by O(hostname) and O(domain) together; in messages it is named "
        "C(<hostname>.<domain>).",
        "By default the change is applied at once (C(unbound/service/reconfigure)); with O(reload=false) "
        "it is only saved, and M(opnform.opnsense.reload) with subsystem V(unbound) applies it later.",
    ),
    notes=(
        "The module calls the snake_case endpoint names (C(search_host_alias), ...) because narrow "
        "OPNsense privileges only match those.",
        "An alias without O(domain) takes the domain of its host override; give O(domain) to tell apart "
        "aliases of one host name on overrides of different domains.",
        "Deleting a host override deletes its aliases too.",
    ),
    commands=Commands(
        search="search_host_alias",
        get="get_host_alias",
        add="add_host_alias",
        set="set_host_alias",
        delete="del_host_alias",
        toggle="toggle_host_alias",
    ),
    reload="unbound",
    fields=(
        boolean("enabled", True, "Whether the alias is active."),
        ref(
            "host",
            "unbound_host_override",
            "The host override this alias belongs to, by its name: C(<hostname>.<domain> <rr>) (for example "
            "V(intranet.example.com A)), or only its host name when no other override has it.",
            required=True,
        ),
        text(
            "hostname",
            "Host name of the alias without the domain; V(*) for a wildcard. Part of the identity.",
            ftype="HostnameField",
            xml=(("HostWildcardAllowed", "Y"), ("IsDNSName", "Y"), ("IpAllowed", "N")),
        ),
        text(
            "domain",
            "Domain of the alias; empty takes the host override's domain. Part of the identity.",
            pattern=DOMAIN_PATTERN,
            message="A valid domain must be specified.",
        ),
        text("description", "Free text description.", max_length=255, ftype="DescriptionField"),
    ),
    hooks=Hooks(validate=validate),
)
