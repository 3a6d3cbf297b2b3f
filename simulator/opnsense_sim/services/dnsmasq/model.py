"""The Dnsmasq model, mounted on /dnsmasq (Dnsmasq.xml 1.0.9, Dnsmasq.php; core 26.7.2,
src/opnsense/mvc/app/models/OPNsense/Dnsmasq/).

Simulated parts: the service switch `enable` (no default: a fresh install does not run dnsmasq),
hosts `hosts` (state key `dnsmasq.hosts`), DHCP tags `dhcp_tags` (`dnsmasq.dhcp_tags`, the
target of the hosts' and ranges' `set_tag`) and DHCP ranges `dhcp_ranges` (`dnsmasq.dhcp_ranges`).
Domain overrides, DHCP options and boot entries and the other settings are not.

Fields are data, Dnsmasq.json (generated from Dnsmasq.xml with `--select enable --select hosts
--select dhcp_tags --select dhcp_ranges --local-type HostnameField=DnsmasqHostnameField`); field
types in fieldtypes.py; this module adds Dnsmasq::performValidation() for hosts and ranges and the
tags' UniqueConstraint.
"""

from __future__ import annotations

from pathlib import Path

from ...core.fields import FieldContext
from ...core.modeldata import load_model
from . import fieldtypes  # noqa: F401  (registers the model's field types)

MODEL = load_model(Path(__file__).with_name("Dnsmasq.json"), name="dnsmasq", subsystem="dnsmasq", title="dnsmasq")
HOST = MODEL.item("hosts")
HOST.label = ("descr",)
TAG = MODEL.item("dhcp_tags")
TAG.label = ("tag",)
RANGE = MODEL.item("dhcp_ranges")
RANGE.label = ("description",)
HOST_KEY, TAG_KEY, RANGE_KEY = HOST.key, TAG.key, RANGE.key

RA_MODE_COMBINATIONS = [
    {"ra-names", "slaac"},
    {"ra-names", "ra-stateless"},
    {"slaac", "ra-stateless"},
    {"ra-names", "slaac", "ra-stateless"},
]


def _values(value: str) -> list[str]:
    """BaseSetField/BaseListField getValues(): the non-empty entries."""
    return [v for v in value.split(",") if v != ""]


def _add(msgs: dict[str, list[str]], field: str, text: str) -> None:
    msgs.setdefault(field, []).append(text)


def validate_host(item: dict[str, str], ctx: FieldContext) -> dict[str, list[str]]:
    """Dnsmasq::performValidation(), hosts: the counts run over every host (this one included)."""
    used_ips: dict[str, int] = {}
    fqdns: set[str] = set()
    cnames: dict[str, int] = {}
    for host in ctx.view.items(HOST_KEY).values():
        if host.get("hwaddr", "") != "" or host.get("client_id", "") != "":
            for ip in _values(host.get("ip", "")):
                used_ips[ip] = used_ips.get(ip, 0) + 1
        if host.get("host", "") != "":
            fqdn = host["host"] + ("." + host["domain"] if host.get("domain", "") != "" else "")
            fqdns.add(fqdn)
        for cname in _values(host.get("cnames", "")):
            cnames[cname] = cnames.get(cname, 0) + 1
    msgs: dict[str, list[str]] = {}
    ips = _values(item.get("ip", ""))
    if item.get("hwaddr", "") != "" or item.get("client_id", "") != "":
        v4 = 0
        for ip in ips:
            v4 += 0 if ":" in ip else 1
            if ip.startswith("::"):
                continue  # partial IPv6 addresses may repeat
            if used_ips.get(ip, 0) > 1:
                _add(msgs, "ip", f"'{ip}' is already used in another DHCP host entry.")
        if v4 > 1:
            _add(msgs, "ip", "For IPv4 dhcp reservations, only a single address is allowed.")
        if item.get("host", "") == "" and not ips:
            text = "At least a hostname or IP address must be provided for DHCP reservations."
            _add(msgs, "host", text)
            _add(msgs, "ip", text)
        if item.get("host", "") == "*":
            _add(msgs, "host", "Wildcard entries are not allowed for DHCP reservations.")
    elif item.get("host", "") == "" or not ips:
        text = "Both hostname and IP address are required for host overrides."
        _add(msgs, "host", text)
        _add(msgs, "ip", text)
    for cname in _values(item.get("cnames", "")):
        if cnames.get(cname, 0) > 1:
            _add(msgs, "cnames", f"CNAME '{cname}' is already in use by a host override.")
        if cname in fqdns:
            _add(msgs, "cnames", f"CNAME '{cname}' overlaps with a host and domain combination in a host override.")
    return msgs


def validate_range(item: dict[str, str], ctx: FieldContext) -> dict[str, list[str]]:
    """Dnsmasq::performValidation(), DHCP ranges, in upstream's order."""
    domains: dict[str, set[str]] = {}
    for other in ctx.view.items(RANGE_KEY).values():
        if other.get("domain", "") != "":
            domains.setdefault(other["domain"], set()).add(other.get("domain_type", ""))
    msgs: dict[str, list[str]] = {}
    start, end = item.get("start_addr", ""), item.get("end_addr", "")
    start_inet = "inet6" if ":" in start else "inet"
    end_inet = "inet6" if ":" in end else "inet"
    domain = item.get("domain", "")
    if domain != "":
        if item.get("domain_type") == "range" and end == "":
            _add(
                msgs,
                "end_addr",
                "Can only configure a domain of type 'Range' when a full range (including end) is specified.",
            )
        if item.get("domain_type") == "interface" and item.get("interface", "") == "":
            _add(msgs, "interface", "A domain of type 'Interface' requires an interface to be selected.")
        if {"interface", "range"} <= domains.get(domain, set()):
            _add(msgs, "domain", f"The domain '{domain}' cannot be used with both types 'Interface' and 'Range'.")
    if start_inet != end_inet and end != "":
        _add(msgs, "end_addr", "Protocol family doesn't match.")
    if item.get("constructor", "") != "":
        if start_inet == "inet":
            _add(msgs, "constructor", "A constructor can only be configured for ipv6.")
        if not start.startswith("::"):
            _add(msgs, "start_addr", "A constructor expects a partial address (e.g. ::1).")
        if end != "" and not end.startswith("::"):
            _add(msgs, "end_addr", "A constructor expects a partial address (e.g. ::1).")
    if item.get("prefix_len", "") != "" and start_inet != "inet6":
        _add(msgs, "prefix_len", "Prefix length can only be used for IPv6.")
    static = "static" in _values(item.get("mode", ""))
    if end != "" and static:
        _add(msgs, "end_addr", "Static only accepts a starting address.")
    elif end == "" and not static and start_inet == "inet":
        _add(msgs, "end_addr", "End address may only be left empty for static ipv4 ranges.")
    if item.get("subnet_mask", "") != "" and static:
        _add(msgs, "subnet_mask", "Static only accepts a starting address.")
    ra_modes = _values(item.get("ra_mode", ""))
    if item.get("interface", "") == "" and ra_modes:
        _add(msgs, "interface", "Selecting an RA Mode requires an interface.")
    prefix_len = item.get("prefix_len", "")
    if ra_modes and prefix_len != "" and _as_float(prefix_len) < 64:
        _add(msgs, "prefix_len", "Prefix length must be at least 64 when router advertisements are used.")
    if len(ra_modes) > 1 and set(ra_modes) not in RA_MODE_COMBINATIONS:
        _add(msgs, "ra_mode", "Invalid RA mode combination.")
    return msgs


def _as_float(value: str) -> float:
    try:
        return float(value)
    except ValueError:
        return 0.0


def validate_tag(item: dict[str, str], ctx: FieldContext) -> dict[str, list[str]]:
    """The tag's UniqueConstraint."""
    for uuid, other in ctx.view.items(TAG_KEY).items():
        if uuid != ctx.uuid and other.get("tag", "") != "" and other.get("tag") == item.get("tag"):
            return {"tag": ["Tag names should be unique."]}
    return {}


HOST.validate = validate_host
RANGE.validate = validate_range
TAG.validate = validate_tag
