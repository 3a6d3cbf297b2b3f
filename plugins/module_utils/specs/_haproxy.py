# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Values shared by the os-haproxy resource types (opnsense-api/haproxy.md). Not a resource type."""

from __future__ import annotations

from ansible_collections.opnform.opnsense.plugins.module_utils._spec import Commands, FieldSpec, text

PLUGIN = "os-haproxy"
MODULE = "haproxy"
CONTROLLER = "settings"
RELOAD = "haproxy"

# Frontend, backend and server names (pattern N); ACL, action and healthcheck names.
NAME_PATTERN = r"^[0-9a-zA-Z._-]{1,255}$"
NAME_MESSAGE = "must be 1-255 characters of letters, digits, '.', '_' or '-' (no spaces)"
LABEL_PATTERN = r"^[^\t,;.\[\]{}^]{1,255}$"
LABEL_MESSAGE = "must be 1-255 characters without tab , ; . [ ] { } ^"
DESCRIPTION_PATTERN = r"^.{1,255}$"
DESCRIPTION_MESSAGE = "must be 1-255 characters without newlines"
ADDRESS_PATTERN = r"^[0-9a-zA-Z.,_:-]{0,1024}$"
SOURCE_PATTERN = r"^[0-9a-zA-Z._*:-]+$"

RESOLVER_OPTS = ("allow-dup-ip", "ignore-weight", "prevent-dup-ip")
STICKINESS_DATA_TYPES = (
    "bytes_in_cnt", "bytes_in_rate", "bytes_out_cnt", "bytes_out_rate", "conn_cnt", "conn_cur",
    "conn_rate", "glitch_cnt", "glitch_rate", "gpc", "gpc_rate", "gpc0", "gpc0_rate", "gpc1",
    "gpc1_rate", "gpt", "gpt0", "http_err_cnt", "http_err_rate", "http_fail_cnt", "http_fail_rate",
    "http_req_cnt", "http_req_rate", "server_id", "sess_cnt", "sess_rate",
)  # fmt: skip
STICKINESS_EXPIRE_PATTERN = r"^[0-9]{1,5}(ms|s|m|h|d)?$"
STICKINESS_SIZE_PATTERN = r"^[0-9]{1,5}[kmg]$"
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
    return text(
        "description", "Free text description.", pattern=DESCRIPTION_PATTERN, pattern_message=DESCRIPTION_MESSAGE
    )
