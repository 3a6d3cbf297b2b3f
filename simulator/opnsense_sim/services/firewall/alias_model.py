"""The alias model (Alias.xml, Alias.php, AliasNameField.php, AliasContentField.php; firewall.md 2.2).

The fields are data, Alias.json (generated from Alias.xml); AliasNameField and AliasContentField
are code and registered under their XML names, as are the SetIfConstraint and
Alias::performValidation().

Also the alias name index every firewall field resolves names against: the configured aliases plus
the built-in ones (AliasField static children, firewall.md 2.4), and the "where used" search and
rename refactoring of Alias::whereUsed() and Alias::refactor() (firewall.md 2.1, 2.3).
"""

from __future__ import annotations

import re
from functools import partial
from pathlib import Path
from typing import Any

from ...core.fields import Field, FieldContext
from ...core.memo import Memo, committed
from ...core.modeldata import load_model, register_field_type, register_relation_class
from ...core.php import filter_int, filter_ip, trim
from ...core.store import Txn, View
from ...core.values import php_empty
from . import (
    category,  # noqa: F401  (the categories relation's target must load first)
    netdb,
)
from .fieldtypes import (
    AliasRelationField,
    getprotobyname,
    getservbyname,
    is_domain,
    is_port,
    is_subnet,
    is_wildcard,
)

# static_aliases/core.json
BUILTIN_EXTERNAL: dict[str, dict[str, str]] = {
    "bogons": {
        "enabled": "1",
        "name": "bogons",
        "type": "external",
        "description": "bogon networks (internal)",
        "expire": "",
        "content": "",
    },
    "bogonsv6": {
        "enabled": "1",
        "name": "bogonsv6",
        "type": "external",
        "description": "bogon networks IPv6 (internal)",
        "expire": "",
        "content": "",
    },
    "virusprot": {
        "enabled": "1",
        "name": "virusprot",
        "type": "external",
        "description": "overload table for rate limiting (internal)",
        "expire": "3600",
        "content": "",
    },
    "sshlockout": {
        "enabled": "1",
        "name": "sshlockout",
        "type": "external",
        "description": "abuse lockout table (internal)",
        "expire": "3600",
        "content": "",
    },
}

# pfctl parse.y keywords (AliasNameField.php)
RESERVED_WORDS = frozenset(
    """all allow-opts altq anchor antispoof any bandwidth binat binat-anchor bitmask block block-policy buckets cbq
    code codelq crop debug divert-reply divert-to drop drop-ovl dup-to fail-policy fairq fastroute file fingerprints
    flags floating flush for fragment from global group hfsc hogs hostid icmp-type icmp6-type if-bound in include
    inet inet6 interval keep label limit linkshare load log loginterface max max-mss max-src-conn max-src-conn-rate
    max-src-nodes max-src-states min-ttl modulate nat nat-anchor no no-df no-route no-sync on optimization os out
    overload pass port prio priority priq probability proto qlimit queue quick random random-id rdr rdr-anchor
    realtime reassemble reply-to require-order return return-icmp return-icmp6 return-rst round-robin route route-to
    rtable rule ruleset-optimization scrub set set-tos skip sloppy source-hash source-track state state-defaults
    state-policy static-port sticky-address synproxy table tag tagged target tbrsize timeout to tos ttl upperlimit
    urpf-failed user""".split()
)

NAME_RE = re.compile(r"^([a-zA-Z]|(([_a-zA-Z][a-zA-Z0-9]|[a-zA-Z][_a-zA-Z0-9])[_a-zA-Z0-9]{0,29}))\n?\Z")
MAC_RE = re.compile(r"^[0-9A-Fa-f]{2}(?:[:][0-9A-Fa-f]{2}){1,5}\n?\Z")


# -- the name index ---------------------------------------------------------------------------------


def builtin_aliases(container: dict[str, dict[str, str]], env: Any) -> dict[str, dict[str, str]]:
    """AliasField static children, keyed by name (which is also their uuid).

    ArrayField clones them from its template node, which is the first configured alias when there
    is one (BaseModel only adds a virtual template to an empty array), so every field the payload
    does not set carries that alias's value (per code, firewall.md 2.4).
    """
    template = ALIAS.blank()
    template.update({n: "" for n, f in ALIAS.fields.items() if f.volatile})
    first = next(iter(container.values()), None)
    if first is not None:
        template.update(first)
    out: dict[str, dict[str, str]] = {}
    for name, payload in BUILTIN_EXTERNAL.items():
        out[name] = {**template, **payload}
    for i in env.interfaces:
        name = f"__{i.key}_network"
        payload = {
            "enabled": "1",
            "name": name,
            "type": "internal",
            "description": f"{i.descr or i.key} net",
            "content": "",
        }
        out[name] = {**template, **payload}
    return out


class AliasIndex(dict):
    """Alias::getByName(): name -> item, configured aliases first, then built-in ones.

    Items are the stored dicts themselves (never copied, never to be modified); `uuids` maps a name
    to its uuid (a built-in's uuid is its name) and `by_uuid` the other way round.
    """

    def __init__(self) -> None:
        super().__init__()
        self.uuids: dict[str, str] = {}
        self.by_uuid: dict[str, dict[str, str]] = {}
        self.memo: dict[str, Any] = {}  # values derived from this index (option lists)

    def add(self, uuid: str, item: dict[str, str]) -> None:
        name = item.get("name", "")
        self[name] = item
        self.uuids[name] = uuid
        self.by_uuid[uuid] = item


_index: Memo[AliasIndex] = Memo()


def alias_index(view: View, env: Any) -> AliasIndex:
    """The index over `view`, cached per committed container: a transaction that has not touched
    the aliases reads the same container object as the config it started from."""
    container = view.items(KEY)

    def build() -> AliasIndex:
        index = AliasIndex()
        for uuid, item in container.items():
            index.add(uuid, item)
        for name, item in builtin_aliases(container, env).items():
            index.add(name, item)
        return index

    signature = tuple((i.key, i.descr) for i in env.interfaces)
    return _index.get(container, build, signature, cacheable=committed(view, KEY))


def index_of(ctx: FieldContext) -> AliasIndex:
    return alias_index(ctx.view, ctx.env)


# -- fields -----------------------------------------------------------------------------------------


class AliasNameField(Field):
    """AliasNameField.php plus its UniqueConstraint (built-in aliases count as taken names)."""

    def check(self, value: str, ctx: FieldContext) -> list[str]:
        out = []
        taken = sum(1 for item in ctx.view.items(KEY).values() if item.get("name") == value)
        taken += sum(1 for name in builtin_aliases(ctx.view.items(KEY), ctx.env) if name == value)
        if taken > 1 or (taken == 1 and ctx.view.item(KEY, ctx.uuid or "") is None):
            out.append("An alias with this name already exists.")
        if not NAME_RE.match(value):
            out.append(
                "The name must start with a letter or single underscore, be less than 32 characters and only "
                "consist of alphanumeric characters or underscores."
            )
        if value in RESERVED_WORDS:
            # gettext() without sprintf(): the placeholder reaches the client as is.
            out.append('The name cannot be the internally reserved keyword "%s".')
        if getservbyname(value) or getprotobyname(value):
            out.append("Reserved protocol or service names may not be used")
        return out


class AliasContentField(Field):
    """AliasContentField.php: newline separated entries, validated by the alias type."""

    def check(self, value: str, ctx: FieldContext) -> list[str]:
        checker = CONTENT_CHECKS.get(ctx.item.get("type", ""))
        if checker is None:
            return []
        names = index_of(ctx) if checker in NEEDS_NAMES else AliasIndex()
        out: list[str] = []
        for entry in value.split("\n"):
            msg = checker(entry, names)
            if msg and msg not in out:
                out.append(msg)
        return out

    def render(self, value: str, ctx: FieldContext) -> Any:
        return {entry: {"value": entry, "selected": 1} for entry in value.split("\n")}


def _port(entry: str, names: AliasIndex) -> str | None:
    if entry not in names and not is_port(entry, True):
        return f'Entry "{entry}" is not a valid port number.'
    return None


def _host(entry: str, names: AliasIndex) -> str | None:
    bad = f'Entry "{entry}" is not a valid hostname, IP address or range.'
    parts = entry.split("-")
    if len(parts) == 2 and filter_ip(parts[0]):
        return None if filter_ip(parts[1]) else bad
    if entry.startswith("!") and filter_ip(entry[1:]):
        return None
    if entry not in names and not filter_ip(entry) and not is_domain(entry):
        return bad
    return None


def _network(entry: str, names: AliasIndex) -> str | None:
    parts = entry.split("-")
    addresses = sum(1 for p in parts if filter_ip(p))
    others = sum(1 for p in parts if not filter_ip(p) and trim(p) != "")
    rest = entry[1:]
    if entry.startswith("!") and (filter_ip(rest) or is_subnet(rest) or is_wildcard(rest)):
        return None
    if (
        entry not in names
        and not filter_ip(entry)
        and not is_subnet(entry)
        and not is_wildcard(entry)
        and not (addresses == 2 and others == 0)
    ):
        return f'Entry "{entry}" is not a network.'
    return None


def _nested(entry: str, names: AliasIndex) -> str | None:
    return None if entry in names else f'Entry "{entry}" is not a valid alias.'


def _country(entry: str, names: AliasIndex) -> str | None:
    return None if entry in netdb.COUNTRIES else f'Entry "{entry}" is not a valid country code.'


def _mac(entry: str, names: AliasIndex) -> str | None:
    return None if MAC_RE.match(entry) else f'Entry "{entry}" is not a valid (partial) MAC address.'


def _partial_ipv6(entry: str, names: AliasIndex) -> str | None:
    if filter_ip("0000" + entry):
        return None
    return f'Entry "{entry}" is not a valid partial ipv6 address definition (e.g. ::1000).'


def _asn(entry: str, names: AliasIndex) -> str | None:
    return None if filter_int(entry, 1, 4294967296) else f'Entry "{entry}" is not a valid ASN.'


def _group(entry: str, names: AliasIndex) -> str | None:
    return None if entry in netdb.USER_GROUPS else f'Entry "{entry}" is not a valid group id.'


NEEDS_NAMES: set[Any] = set()
CONTENT_CHECKS = {
    "port": _port,
    "host": _host,
    "geoip": _country,
    "network": _network,
    "networkgroup": _nested,
    "mac": _mac,
    "dynipv6host": _partial_ipv6,
    "asn": _asn,
    "authgroup": _group,
}
NEEDS_NAMES.update({_port, _host, _network, _nested})

_TOKEN = re.compile(r"^[A-Za-z0-9\-_.]+$")


def validate_alias(item: dict[str, str], ctx: FieldContext) -> dict[str, list[str]]:
    """The SetIfConstraint on `interface` and Alias::performValidation() (authtype rules)."""
    out: dict[str, list[str]] = {}
    if item.get("interface", "") == "" and item.get("type") == "dynipv6host":
        out["interface"] = ["IPv6 Dynamic Host require an interface to track."]
    username, password = item.get("username", ""), item.get("password", "")
    auth = item.get("authtype", "")
    msg = None
    if auth == "Basic":
        if php_empty(username) or php_empty(password):
            msg = "Please provide a username and password when Basic auth is selected"
    elif auth == "Bearer":
        if php_empty(password):
            msg = "Please provide an API token when Bearer auth is selected"
        elif len(password.encode()) > 512:
            msg = "Invalid token length"
        elif not _TOKEN.match(password):
            msg = "Illegal characters in token"
    elif auth == "Header":
        if php_empty(username) or php_empty(password):
            msg = "Please provide a header key and value when Header auth is selected"
        elif len(username.encode()) > 255:
            msg = "Invalid key length"
        elif len(password.encode()) > 512:
            msg = "Invalid value length"
        elif not _TOKEN.match(username):
            msg = "Illegal characters in key"
        elif not _TOKEN.match(password):
            msg = "Illegal characters in value"
    if msg:
        out["authtype"] = [msg]
    return out


register_field_type("AliasNameField", AliasNameField)
register_field_type("AliasContentField", AliasContentField)

MODEL = load_model(Path(__file__).with_name("Alias.json"), name="alias", subsystem="alias", title="Alias")
ALIAS = MODEL.item("aliases.alias")
ALIAS.validate = validate_alias
KEY, PATH = ALIAS.key, ALIAS.path
register_relation_class(KEY, partial(AliasRelationField, index_of))


# -- references -------------------------------------------------------------------------------------

# Alias::getAliasSource() locations that exist in the simulator: (item key, reference prefix, fields).
REFERENCE_SOURCES: list[tuple[str, str, list[str]]] = [
    # Alias::getAliasSource(): the legacy nat/rule paths (where the port forwards of DNat.xml live,
    # so they are reported with their descr), then 1:1 NAT rules, then the filter rules.
    (
        "firewall.dnat_rule",
        "nat.rule",
        ["source.address", "source.network", "source.port", "destination.address", "destination.network",
         "destination.port", "target", "local-port"],
    ),  # fmt: skip
    ("firewall.onetoone_rule", "OPNsense.Firewall.Filter.onetoone.rule", ["source_net", "destination_net"]),
    (
        "firewall.filter_rule",
        "OPNsense.Firewall.Filter.rules.rule",
        ["source_net", "source_port", "destination_net", "destination_port"],
    ),
    (
        "firewall.snat_rule",
        "OPNsense.Firewall.Filter.snatrules.rule",
        ["source_net", "source_port", "destination_net", "destination_port", "target"],
    ),
]


def where_used(view: View, env: Any, name: str) -> dict[str, str]:
    """Alias::whereUsed(): reference -> description of every place that names the alias."""
    result: dict[str, str] = {}
    for key, prefix, fields in REFERENCE_SOURCES:
        items = list(view.items(key).values())
        for fieldname in fields:
            for idx, item in enumerate(items):
                if name in item.get(fieldname, "").split(","):
                    # Legacy nodes carry <descr>; MVC rules have none, so the text is empty.
                    result[f"{prefix}.{idx}/{fieldname}"] = item.get("descr", "")
    container = view.items(KEY)
    nested = [(uuid, item) for uuid, item in container.items()]
    nested += list(builtin_aliases(container, env).items())
    for uuid, item in nested:
        if item.get("type") in ("geoip", "urltable"):
            continue
        if name in item.get("content", "").split("\n"):
            result[f"{PATH}.{uuid}"] = item.get("description") or item.get("name", "")
    return result


def _replace(entries: list[str], old: str, new: str) -> list[str]:
    unique = list(dict.fromkeys(entries))
    unique[unique.index(old)] = new
    return unique


def refactor(txn: Txn, old: str, new: str, skip: str | None = None) -> None:
    """Alias::refactor(): rewrite references to a renamed alias (rules, nested alias content)."""
    for key, _prefix, fields in REFERENCE_SOURCES:
        for uuid, item in list(txn.items(key).items()):
            changed = dict(item)
            for fieldname in fields:
                values = item.get(fieldname, "").split(",")
                if old in values:
                    changed[fieldname] = ",".join(_replace(values, old, new))
            if changed != item:
                txn.put(key, uuid, changed)
    for uuid, item in list(txn.items(KEY).items()):
        if uuid == skip or item.get("type") == "geoip":
            continue
        entries = item.get("content", "").split("\n")
        if old in entries:
            txn.put(KEY, uuid, {**item, "content": "\n".join(_replace(entries, old, new))})
