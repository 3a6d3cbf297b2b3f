# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Ansible argument specs: the shared connection options and the per-type options from a spec.

The connection options match ``plugins/doc_fragments/connection.py`` (a unit test keeps the two in
step) and read ``OPNSENSE_*`` environment variables when not given. A resource module's options are
its spec's fields (OPNsense defaults as Ansible defaults) plus ``state`` and ``reload``.
"""

from __future__ import annotations

import re
from typing import Any, Dict

from ansible.module_utils.basic import env_fallback

from ansible_collections.opnform.opnsense.plugins.module_utils._reload import ORDER as RELOAD_ORDER
from ansible_collections.opnform.opnsense.plugins.module_utils._spec import (
    BOOL,
    INT,
    FieldSpec,
    ResourceSpec,
)

CONNECTION_ENV = {
    "api_url": "OPNSENSE_URL",
    "api_key": "OPNSENSE_API_KEY",
    "api_secret": "OPNSENSE_API_SECRET",
    "validate_certs": "OPNSENSE_VALIDATE_CERTS",
    "ca_path": "OPNSENSE_CA_PATH",
    "timeout": "OPNSENSE_TIMEOUT",
}
DEFAULT_TIMEOUT = 30.0
# Option names ansible-test's validate-modules suspects of holding secrets; a field that matches but
# is not secret says no_log=False explicitly.
NO_LOG_SUSPECT = re.compile(r"(?:pass(?!ive)|secret|token|key)", re.I)
RESERVED_OPTIONS = ("state", "reload")


def connection_argspec() -> Dict[str, Dict[str, Any]]:
    """The connection options every module of the collection takes."""
    return {
        "api_url": {"type": "str", "required": True, "fallback": (env_fallback, [CONNECTION_ENV["api_url"]])},
        "api_key": {
            "type": "str",
            "required": True,
            "no_log": False,
            "fallback": (env_fallback, [CONNECTION_ENV["api_key"]]),
        },
        "api_secret": {
            "type": "str",
            "required": True,
            "no_log": True,
            "fallback": (env_fallback, [CONNECTION_ENV["api_secret"]]),
        },
        "validate_certs": {
            "type": "bool",
            "default": True,
            "fallback": (env_fallback, [CONNECTION_ENV["validate_certs"]]),
        },
        "ca_path": {"type": "path", "fallback": (env_fallback, [CONNECTION_ENV["ca_path"]])},
        # No argspec default, so that the environment fallback applies; users of the value fall back
        # to DEFAULT_TIMEOUT.
        "timeout": {"type": "float", "fallback": (env_fallback, [CONNECTION_ENV["timeout"]])},
    }


def ansible_type(spec: FieldSpec) -> str:
    if spec.is_list:
        return "list"
    if spec.kind == BOOL:
        return "bool"
    if spec.kind == INT:
        return "int"
    return "str"


def option_aliases(spec: FieldSpec) -> list:
    """Extra names for an option: the spec's aliases plus the API name when it differs and is a
    plain identifier (so ``linkedServers`` works as well as ``linked_servers``)."""
    aliases = list(spec.aliases)
    if spec.api != spec.name and re.match(r"^[A-Za-z_][A-Za-z0-9_]*$", spec.api) and spec.api not in aliases:
        aliases.append(spec.api)
    return aliases


def field_argspec(spec: FieldSpec, identity: bool = False) -> Dict[str, Any]:
    """The Ansible option for one field."""
    option: Dict[str, Any] = {"type": ansible_type(spec)}
    if spec.is_list:
        option["elements"] = "str"
    if spec.choices:
        option["choices"] = list(spec.choices) if spec.kind != INT else [int(c) for c in spec.choices]
    if spec.default is not None:
        option["default"] = list(spec.default) if isinstance(spec.default, (list, tuple)) else spec.default
    if identity and spec.required:
        option["required"] = True
    if spec.sensitive:
        option["no_log"] = True
    elif NO_LOG_SUSPECT.search(spec.name) or any(NO_LOG_SUSPECT.search(a) for a in option_aliases(spec)):
        option["no_log"] = False
    aliases = option_aliases(spec)
    if aliases:
        option["aliases"] = aliases
    return option


def resource_argspec(spec: ResourceSpec) -> Dict[str, Dict[str, Any]]:
    """All options of a per-resource module."""
    argspec: Dict[str, Dict[str, Any]] = {}
    for item in spec.fields:
        argspec[item.name] = field_argspec(item, identity=item.name in spec.identity)
    # Settings exist once per firewall: they can only be present.
    states = ["present"] if spec.settings else ["present", "absent"]
    argspec["state"] = {"type": "str", "default": "present", "choices": states}
    argspec["reload"] = {"type": "bool", "default": True}
    argspec.update(connection_argspec())
    return argspec


def reload_argspec() -> Dict[str, Dict[str, Any]]:
    """Options of the ``reload`` module."""
    argspec: Dict[str, Dict[str, Any]] = {
        "subsystems": {"type": "list", "elements": "str", "required": True, "choices": list(RELOAD_ORDER)},
    }
    argspec.update(connection_argspec())
    return argspec


def system_info_argspec() -> Dict[str, Dict[str, Any]]:
    """Options of the ``system_info`` module."""
    argspec: Dict[str, Dict[str, Any]] = {"fail_unreachable": {"type": "bool", "default": True}}
    argspec.update(connection_argspec())
    return argspec
