"""The Unbound model, mounted on //OPNsense/unboundplus (Unbound.xml 1.0.15, Unbound.php; interfaces-and-services.md 4).

Simulated parts: `general.enabled` (the service switch; factory value 1, as a fresh install runs the
resolver), host overrides `hosts.host` (state key `unbound.host`) and host aliases `aliases.alias`
(state key `unbound.alias`). ACLs, DNSBL, forwarding and the other general/advanced settings are not.
"""

from __future__ import annotations

from typing import Any

from ...core.fields import (
    BooleanField,
    DescriptionField,
    Field,
    FieldContext,
    HostnameField,
    IntegerField,
    ItemType,
    Model,
    ModelRelationField,
    NetworkField,
    OptionField,
    TextField,
)

HOST_KEY = "unbound.host"
ALIAS_KEY = "unbound.alias"
DOMAIN_MASK = r"/^(?:(?:[a-z0-9]|[a-z0-9][a-z0-9\-]*[a-z0-9])\.)*(?:[a-z0-9]|[a-z0-9][a-z0-9\-]*[a-z0-9])$/i"
DOMAIN_MSG = "A valid domain must be specified."
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

    def __init__(self) -> None:
        super().__init__(
            ip_allowed=False, host_wildcard=True, fqdn_wildcard=True, dns_name=True, as_list=True, volatile=True
        )

    def value_for(self, ctx: FieldContext) -> str:
        if ctx.uuid is None:
            return ""
        return ",".join(alias_names(ctx.item, host_aliases(ctx.view).get(ctx.uuid, [])))

    def render(self, value: str, ctx: FieldContext) -> Any:
        return super().render(self.value_for(ctx), ctx)


HOST = ItemType(
    key=HOST_KEY,
    path="hosts.host",
    label=("description",),
    fields={
        "enabled": BooleanField(default="1", required=True),
        "hostname": HostnameField(ip_allowed=False, host_wildcard=True, dns_name=True, message=HOSTNAME_MSG),
        "domain": TextField(required=True, mask=DOMAIN_MASK, message=DOMAIN_MSG),
        "rr": OptionField(
            {"A": "A (IPv4 address)", "AAAA": "AAAA (IPv6 address)", "MX": "MX (mail server)", "TXT": "TXT (text)"},
            default="A",
            required=True,
        ),
        "mxprio": IntegerField(),
        "mx": HostnameField(),
        "ttl": IntegerField(minimum=0, maximum=2147483647),
        # NetMaskAllowed=N arrived in 26.7; 26.1.11 still accepts a mask here.
        "server": NetworkField(mask_allowed=lambda ctx: ctx.version == "26.1"),
        "txtdata": DescriptionField(),
        "addptr": BooleanField(default="1", required=True),
        "aliases": AliasReflector(),
        "description": DescriptionField(),
    },
)

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

ALIAS = ItemType(
    key=ALIAS_KEY,
    path="aliases.alias",
    label=("description",),
    fields={
        "enabled": BooleanField(default="1", required=True),
        # No ValidationMessage: BaseListField's "Option [%s] not in list." applies.
        "host": ModelRelationField(HOST_KEY, label=("hostname", "domain"), display_format="%s.%s", required=True),
        "hostname": HostnameField(ip_allowed=False, host_wildcard=True, dns_name=True),
        "domain": TextField(mask=DOMAIN_MASK, message=DOMAIN_MSG),
        "description": DescriptionField(),
    },
)


def validate_alias(item: dict[str, str], ctx: FieldContext) -> dict[str, list[str]]:
    msgs: dict[str, list[str]] = {}
    if item.get("hostname", "") == "" and item.get("domain", "") == "":
        msgs["hostname"] = ["The host field is required if a domain has not been specified."]
        msgs["domain"] = ["The domain field is required if a host has not been specified."]
    return msgs


ALIAS.validate = validate_alias

SETTINGS: dict[str, Field] = {"general.enabled": BooleanField(default="0", required=True)}

MODEL = Model(
    name="unbound",
    mount="OPNsense/unboundplus",
    version="1.0.15",
    items=[HOST, ALIAS],
    settings=SETTINGS,
    subsystem="unbound",
    title="unbound",
)
