# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Values shared by the os-haproxy resource types (opnsense-api/haproxy.md). Not a resource type.

Also how ``HAProxy.xml`` (opnsense/plugins ``net/haproxy/src/opnsense/mvc/app/models/OPNsense/
HAProxy/HAProxy.xml``, os-haproxy 5.1) words its validation messages and types its fields:
:func:`opnsense` fills them into a type's fields, from the masks and bounds the fields carry
(the XML repeats a few conventions field by field) and from a table of the fields that hold
references to objects this collection does not manage (certificates, users, map files, ...).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Dict, Optional, Tuple

from ansible_collections.opnform.opnsense.plugins.module_utils._spec import (
    DURATION,
    INT,
    Commands,
    FieldSpec,
    ResourceSpec,
    text,
    with_changes,
)

PLUGIN = "os-haproxy"
MODULE = "haproxy"
CONTROLLER = "settings"
RELOAD = "haproxy"

TEXT_MESSAGE = "Should be a string between 1 and %d characters."
# Frontend, backend and server names (pattern N); ACL, action and healthcheck names.
NAME_PATTERN = r"^[0-9a-zA-Z._-]{1,255}$"
NAME_MESSAGE = TEXT_MESSAGE % 255
LABEL_PATTERN = r"^[^\t,;.\[\]{}^]{1,255}$"
LABEL_MESSAGE = TEXT_MESSAGE % 255
DESCRIPTION_PATTERN = r"^.{1,255}$"
DESCRIPTION_MESSAGE = TEXT_MESSAGE % 255
ADDRESS_PATTERN = r"^[0-9a-zA-Z.,_:-]{0,1024}$"
SOURCE_PATTERN = r"^[0-9a-zA-Z._*:-]+$"
COOKIE_PATTERN = r"^[0-9a-zA-Z.,_:-]{1,1024}$"
# The listen address mask applies to the whole comma-separated value; its bracket group is a
# character class, not the alternation it looks like (HAProxy.xml, frontend bind).
BIND_PATTERN = r"^((([quic4@|quic6@]*[0-9a-zA-Z._\-\*:\[\]]+:+[0-9]+(-[0-9]+)?|unix@[0-9a-z_\-]+)([,]){0,1}))*"

RESOLVER_OPTS = ("allow-dup-ip", "ignore-weight", "prevent-dup-ip")
STICKINESS_DATA_TYPES = (
    "bytes_in_cnt", "bytes_in_rate", "bytes_out_cnt", "bytes_out_rate", "conn_cnt", "conn_cur",
    "conn_rate", "glitch_cnt", "glitch_rate", "gpc", "gpc_rate", "gpc0", "gpc0_rate", "gpc1",
    "gpc1_rate", "gpt", "gpt0", "http_err_cnt", "http_err_rate", "http_fail_cnt", "http_fail_rate",
    "http_req_cnt", "http_req_rate", "server_id", "sess_cnt", "sess_rate",
)  # fmt: skip
STICKINESS_EXPIRE_PATTERN = r"^[0-9]{1,5}(ms|s|m|h|d)?$"
STICKINESS_SIZE_PATTERN = r"^[0-9]{1,5}[kmg]$"
# <ValidationMessage> of the fields with these masks.
PATTERN_MESSAGES = {
    NAME_PATTERN: NAME_MESSAGE,
    LABEL_PATTERN: LABEL_MESSAGE,
    DESCRIPTION_PATTERN: DESCRIPTION_MESSAGE,
    SOURCE_PATTERN: "Please specify a valid source address, i.e. 10.0.0.1 or loadbalancer.example.com:50000. "
    "Port range as start-end, i.e. 10.0.0.1:50000-60000.",
    COOKIE_PATTERN: "Does not look like a valid cookie name (most special characters are not allowed).",
    STICKINESS_EXPIRE_PATTERN: 'Should be a number between 1 and 5 characters followed by either "d", "h", "m", "s" '
    'or "ms".',
    STICKINESS_SIZE_PATTERN: 'Should be a number between 1 and 5 characters followed by either "k", "m" or "g".',
    BIND_PATTERN: "Please provide a valid listen address, i.e. 127.0.0.1:8080, [::1]:8080, www.example.com:443, "
    "quic4@www.example.com or unix@socket-name. Port range as start-end, i.e. 127.0.0.1:1220-1240.",
    r"^[0-9]+(-[0-9]+)?$": "Please specify a valid number or range.",
    r"^[0-9a-zA-Z._]{1,32}$": TEXT_MESSAGE % 32,
    r"^.{1,2048}$": TEXT_MESSAGE % 2048,
}
# Fields whose type or message is not what their kind and mask say: (field type, message).
FIELD_TYPES: Dict[str, Tuple[Optional[str], Optional[str]]] = {
    "address": (None, "Please specify a valid servername or IP address."),
    "serviceName": (None, "Please specify a valid service name."),
    "bind": ("CSVListField", None),
    "sslCA": ("CertificateField", "Please select one or more CAs from the list."),
    "sslCRL": ("CertificateField", "Please select a valid CRL from the list."),
    "sslClientCertificate": ("CertificateField", "Please select a valid certificate from the list."),
    "ssl_certificates": ("CertificateField", "Please select a valid certificate from the list."),
    "ssl_default_certificate": ("CertificateField", "Please select a valid certificate from the list."),
    "ssl_clientAuthCAs": ("CertificateField", "Please select a valid CA from the list."),
    "ssl_clientAuthCRLs": ("CertificateField", "Please select a valid CA from the list."),
    "linkedResolver": ("ModelRelationField", "Related resolver not found"),
    "linkedFcgi": ("ModelRelationField", "Related fcgi item not found"),
    "linkedMailer": ("ModelRelationField", "Related mailer not found"),
    "basicAuthUsers": ("ModelRelationField", "Related user not found"),
    "basicAuthGroups": ("ModelRelationField", "Related group not found"),
    "allowedUsers": ("ModelRelationField", "Related user not found"),
    "allowedGroups": ("ModelRelationField", "Related group not found"),
    "linkedErrorfiles": ("ModelRelationField", "Related error file item not found"),
    "linkedCpuAffinityRules": ("ModelRelationField", "Related CPU affinity rule not found"),
    "map_data_use_backend_file": ("ModelRelationField", "Related map file item not found"),
    "map_use_backend_file": ("ModelRelationField", "Related map file item not found"),
    "mapfile": ("ModelRelationField", "Related mapfile item not found"),
    "compression_minsize_res": (None, "Please specify a number between 0 and 1000000."),
    "compression_minsize_req": (None, "Please specify a number between 0 and 1000000."),
    "gpc_number": (None, "Please specify a value between 0 and 99."),
    "gpt_number": (None, "Please specify a value between 0 and 99."),
    "sc_number": (None, "Please specify a value between 0 and 99."),
}
TLS_VERSIONS = ("SSLv3", "TLSv1.0", "TLSv1.1", "TLSv1.2", "TLSv1.3")
COMPARISONS = ("gt", "ge", "eq", "lt", "le")


def commands(singular: str, plural: str, toggle: bool = True) -> Commands:
    """The SettingsController command words for one object kind (haproxy.md 1.1)."""
    return Commands(
        search="search" + plural,
        get="get" + singular,
        add="add" + singular,
        set="set" + singular,
        delete="del" + singular,
        toggle=("toggle" + singular) if toggle else None,
    )


def description() -> FieldSpec:
    """The free-text description every HAProxy object has (1-255 characters, no newline)."""
    return text("description", "Free text description.", pattern=DESCRIPTION_PATTERN)


def _xml(field: FieldSpec) -> FieldSpec:
    ftype, message = FIELD_TYPES.get(field.api, (None, None))
    changes = {}
    if ftype:
        changes["ftype"] = ftype
    if message is None and field.message is None:
        if field.pattern in PATTERN_MESSAGES:
            message = PATTERN_MESSAGES[field.pattern]
        elif field.kind == INT and field.minimum is not None and field.maximum is not None:
            message = "Please specify a value between %d and %d." % (field.minimum, field.maximum)
        elif field.pattern is None and field.max_length in (255, 1024):
            message = TEXT_MESSAGE % field.max_length  # the ".{1,N}" masks of 4096 and 32 carry none
    if message is not None and field.pattern != DURATION:
        changes["message"] = message
    return with_changes(field, **changes) if changes else field


def opnsense(spec: ResourceSpec) -> ResourceSpec:
    """A HAProxy type with HAProxy.xml's field types and validation messages on its fields."""
    return replace(spec, fields=tuple(_xml(field) for field in spec.fields))
