"""The Unbound model, mounted on //OPNsense/unboundplus (Unbound.xml 1.0.15, Unbound.php; interfaces-and-services.md 4).

Simulated parts: the general settings `general.*` (`enabled` is the service switch; factory value
1, as a fresh install runs the resolver), host overrides `hosts.host` (state key `unbound.host`), host aliases `aliases.alias`
(state key `unbound.alias`), access lists `acls.acl` (`unbound.acl`) and query forwarding / DNS over
TLS `dots.dot` (`unbound.dot`). DNSBL, `acls.default_action` and the advanced settings are not.

Fields are data, Unbound.json (generated from Unbound.xml with `--select general --select
hosts.host --select aliases.alias --select acls.acl --select dots.dot`); this module adds
AliasReflector, the plain PortField of `dots.dot.port`, the SetIfConstraints and
Unbound::performValidation(), and one release difference the 26.7.2 XML cannot state.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ...core.fields import BaseListField, FieldContext, HostnameField
from ...core.modeldata import load_model, register_field_type
from ...core.modeldata.registry import HOSTNAME, LIST
from ...core.php import natcase_key
from ..firewall import filter_model  # noqa: F401  registers PortField, which Unbound.xml names

HOSTNAME_MSG = "A valid hostname must be specified."


def host_aliases(view: Any) -> dict[str, list[tuple[str, dict[str, str]]]]:
    """Unbound::getHostAliases(): host uuid -> [(alias uuid, alias)] in config order."""
    out: dict[str, list[tuple[str, dict[str, str]]]] = {}
    for uuid, alias in view.items(ALIAS_KEY).items():
        out.setdefault(alias.get("host", ""), []).append((uuid, alias))
    return out


def alias_names(host: dict[str, str], aliases: list[tuple[str, dict[str, str]]]) -> list[str]:
    """AliasReflector's value: `<hostname>.<domain>` per alias, the host's domain when the alias has none."""
    out = []
    for _, alias in aliases:
        name = f"{alias['hostname']}." if alias.get("hostname") else ""
        out.append(name + (alias.get("domain") or host.get("domain", "")))
    return out


class AliasReflector(HostnameField):
    """AliasReflector.php: the volatile `aliases` list of a host's linked aliases (AsList).

    An empty list renders as {"": {"value": "", "selected": 1}}, as BaseSetField explodes "".
    """

    default_message = "[%s] is not a valid host/domain name."

    def value_for(self, ctx: FieldContext) -> str:
        if ctx.uuid is None:
            return ""
        return ",".join(alias_names(ctx.item, host_aliases(ctx.view).get(ctx.uuid, [])))

    def render(self, value: str, ctx: FieldContext) -> Any:
        return super().render(self.value_for(ctx), ctx)


register_field_type("AliasReflector", AliasReflector, **HOSTNAME)


class UnboundInterfaceField(BaseListField):
    """Unbound/FieldTypes/UnboundInterfaceField.php (`general.active_interface`,
    `general.outgoing_interface`): every interface of the config that is not virtual, by its
    description (else the key upper-cased), plus OpenVPN instances (not simulated), in natural
    case-insensitive order of the labels (natcasesort)."""

    def options(self, ctx: FieldContext) -> dict[str, Any]:
        pairs = [(i.key, i.label) for i in ctx.env.interfaces if not i.virtual]
        pairs.sort(key=lambda p: natcase_key(p[1]))
        return dict(pairs)


register_field_type("UnboundInterfaceField", UnboundInterfaceField, **LIST)


class PlainPortField(BaseListField):
    """PortField.php without EnableWellKnown, EnableRanges or EnableAlias (Unbound.xml's `dots.dot.port`):
    the options are the numbers 1-65535 as strings, so "0", "080" or "53 " fail; a single-select
    PortField renders its plain value in `get` (getNodeOptions()), not an option map."""

    default_message = "Please specify a valid port number (1-65535)."

    def check(self, value: str, ctx: FieldContext) -> list[str]:
        ok = value.isascii() and value.isdigit() and value[0] != "0" and int(value) <= 65535
        return [] if ok else [self.msg]

    def lookup(self, ctx: FieldContext) -> Any:
        return lambda value: value

    def render(self, value: str, ctx: FieldContext) -> Any:
        return value

    def display(self, value: str, ctx: FieldContext) -> str | None:
        return None


MODEL = load_model(Path(__file__).with_name("Unbound.json"), name="unbound", subsystem="unbound", title="unbound")
HOST = MODEL.item("hosts.host")
HOST.label = ("description",)
ALIAS = MODEL.item("aliases.alias")
ALIAS.label = ("description",)
ACL = MODEL.item("acls.acl")
ACL.label = ("description", "name")
DOT = MODEL.item("dots.dot")
DOT.label = ("description", "server")
HOST_KEY, ALIAS_KEY = HOST.key, ALIAS.key
# The firewall's PortField registration always enables well-known names, ranges and aliases; the
# dot's port has none of them.
DOT.fields["port"] = PlainPortField(required=False)
# general.port is such a PortField too (required, default 53).
MODEL.settings["general.port"] = PlainPortField(required=True, default="53")
# NetMaskAllowed=N arrived in 26.7; 26.1.11 still accepts a mask here.
HOST.fields["server"].mask_allowed = lambda ctx: ctx.version == "26.1"

# SetIfConstraints of the host: (field, rr value that requires it, message).
HOST_REQUIRED_IF = [
    ("mxprio", "MX", "The field MX Priority is required."),
    ("mx", "MX", "The field MX Host is required."),
    ("server", "A", "The field IP address is required."),
    ("server", "AAAA", "The field IP address is required."),
    ("txtdata", "TXT", "The field TXT Data is required."),
]


def validate_host(item: dict[str, str], ctx: FieldContext) -> dict[str, list[str]]:
    msgs: dict[str, list[str]] = {}
    for name, rr, text in HOST_REQUIRED_IF:
        if item.get(name, "") == "" and item.get("rr") == rr:
            msgs.setdefault(name, []).append(text)
    # Unbound::performValidation(): the domain validator allows one trailing dot, the model does not.
    if item.get("hostname", "").endswith("."):
        msgs.setdefault("hostname", []).append(HOSTNAME_MSG)
    return msgs


HOST.validate = validate_host


def validate_alias(item: dict[str, str], ctx: FieldContext) -> dict[str, list[str]]:
    msgs: dict[str, list[str]] = {}
    if item.get("hostname", "") == "" and item.get("domain", "") == "":
        msgs["hostname"] = ["The host field is required if a domain has not been specified."]
        msgs["domain"] = ["The domain field is required if a host has not been specified."]
    return msgs


ALIAS.validate = validate_alias
