# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The registry: every resource type the collection manages, by name (explicit and alphabetical).

Adding a type is one import and one line here. The original design's type strings
(``opnsense:firewall:alias``, ...) are accepted as aliases (design.md 1); each spec lists its own.
"""

from __future__ import annotations

from typing import Dict

from ansible_collections.opnform.opnsense.plugins.module_utils._spec import ResourceSpec
from ansible_collections.opnform.opnsense.plugins.module_utils.specs.firewall_alias import SPEC as FIREWALL_ALIAS
from ansible_collections.opnform.opnsense.plugins.module_utils.specs.firewall_category import (
    SPEC as FIREWALL_CATEGORY,
)
from ansible_collections.opnform.opnsense.plugins.module_utils.specs.firewall_filter_rule import (
    SPEC as FIREWALL_FILTER_RULE,
)
from ansible_collections.opnform.opnsense.plugins.module_utils.specs.haproxy_acl import SPEC as HAPROXY_ACL
from ansible_collections.opnform.opnsense.plugins.module_utils.specs.haproxy_action import SPEC as HAPROXY_ACTION
from ansible_collections.opnform.opnsense.plugins.module_utils.specs.haproxy_backend import SPEC as HAPROXY_BACKEND
from ansible_collections.opnform.opnsense.plugins.module_utils.specs.haproxy_frontend import SPEC as HAPROXY_FRONTEND
from ansible_collections.opnform.opnsense.plugins.module_utils.specs.haproxy_healthcheck import (
    SPEC as HAPROXY_HEALTHCHECK,
)
from ansible_collections.opnform.opnsense.plugins.module_utils.specs.haproxy_server import SPEC as HAPROXY_SERVER
from ansible_collections.opnform.opnsense.plugins.module_utils.specs.interfaces_vlan import SPEC as INTERFACES_VLAN
from ansible_collections.opnform.opnsense.plugins.module_utils.specs.routes_route import SPEC as ROUTES_ROUTE
from ansible_collections.opnform.opnsense.plugins.module_utils.specs.unbound_host_override import (
    SPEC as UNBOUND_HOST_OVERRIDE,
)

REGISTRY: Dict[str, ResourceSpec] = {
    "firewall_alias": FIREWALL_ALIAS,
    "firewall_category": FIREWALL_CATEGORY,
    "firewall_filter_rule": FIREWALL_FILTER_RULE,
    "haproxy_acl": HAPROXY_ACL,
    "haproxy_action": HAPROXY_ACTION,
    "haproxy_backend": HAPROXY_BACKEND,
    "haproxy_frontend": HAPROXY_FRONTEND,
    "haproxy_healthcheck": HAPROXY_HEALTHCHECK,
    "haproxy_server": HAPROXY_SERVER,
    "interfaces_vlan": INTERFACES_VLAN,
    "routes_route": ROUTES_ROUTE,
    "unbound_host_override": UNBOUND_HOST_OVERRIDE,
}

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
