"""The firewall's field types (_fieldtypes_firewall): alias names and content, networks, ports."""

from __future__ import annotations

import pytest

from ansible_collections.opnform.opnsense.plugins.module_utils import _fieldtypes_firewall as FW
from ansible_collections.opnform.opnsense.plugins.module_utils._facts import Facts
from ansible_collections.opnform.opnsense.plugins.module_utils._fieldtypes import Context
from ansible_collections.opnform.opnsense.plugins.module_utils._registry import REGISTRY

ALIAS = REGISTRY["firewall_alias"]
RULE = REGISTRY["firewall_filter_rule"]


def facts(**aliases):
    """Facts that know the aliases ``{name: type}`` and the interfaces lan, wan and opt1."""
    known = Facts()
    for name, kind in aliases.items():
        known.add_name("firewall_alias", name, {"name": name, "type": kind})
    known.add_blank(RULE, {"interface": {"lan": {"value": "LAN"}, "wan": {"value": "WAN"}, "opt1": {"value": "DMZ"}}})
    return known


def check(spec, name, value, known=None, **record):
    field = spec.field(name)
    return FW.CHECKS[field.ftype](field, value, Context(spec.type, record, known))


def test_util():
    assert FW.is_port("443") and FW.is_port("8000:8080") and FW.is_port("https") and not FW.is_port("8000-8080")
    assert not FW.is_port("1:2", allow_range=False) and not FW.is_port("0") and not FW.is_port("65536")
    assert FW.is_wildcard("10.0.0.0/255.0.0.0") and not FW.is_wildcard("10.0.0.0/::ff")
    assert FW.is_domain("host.example.com") and not FW.is_domain("10.0.0.300") and not FW.is_domain("-a.b")


@pytest.mark.parametrize(
    "name,messages",
    [("web", []), ("_x1", []), ("9bad", [FW.NAME_MESSAGE]), ("__x", [FW.NAME_MESSAGE]), ("port", [FW.RESERVED_MESSAGE]),
     ("ssh", [FW.SERVICE_MESSAGE]), ("tcp", [FW.SERVICE_MESSAGE]), ("TCP", [FW.SERVICE_MESSAGE]), ("Tcp", []),
     ("max-mss", [FW.NAME_MESSAGE, FW.RESERVED_MESSAGE]), ("a" * 32, [FW.NAME_MESSAGE])],
)  # fmt: skip
def test_alias_name(name, messages):
    assert [m for m, _v in check(ALIAS, "name", name)] == messages


@pytest.mark.parametrize(
    "kind,entry,bad",
    [("host", "10.0.0.1", False), ("host", "10.0.0.1-10.0.0.9", False), ("host", "!10.0.0.1", False),
     ("host", "www.example.com", False), ("host", "10.0.0.300", True), ("host", "10.0.0.1-x", True),
     ("network", "10.0.0.0/8", False), ("network", "!10.0.0.0/8", False), ("network", "10.0.0.0/255.0.0.0", False),
     ("network", "10.0.0.1-10.0.0.9", False), ("network", "10.0.0.0/33", True), ("port", "8000:8080", False),
     ("port", "https", False), ("port", "0", True), ("geoip", "EU", False), ("geoip", "XX", True),
     ("mac", "00:11:22", False), ("mac", "00-11-22", True), ("asn", "4294967296", False), ("asn", "AS1", True),
     ("dynipv6host", "::1000", False), ("dynipv6host", "10.0.0.1", True), ("url", "anything", False)],
)  # fmt: skip
def test_alias_content_by_type(kind, entry, bad):
    assert bool(check(ALIAS, "content", entry, facts(), type=kind)) is bad


def test_alias_content_names_other_aliases_once_they_are_known():
    assert check(ALIAS, "content", "other", None, type="networkgroup") == [], "names unknown: a name may be one"
    assert check(ALIAS, "content", "9other", None, type="networkgroup") != [], "never an alias name"
    assert check(ALIAS, "content", "other", facts(nets="network"), type="networkgroup") == [
        ('Entry "other" is not a valid alias.', "other")
    ]
    assert check(ALIAS, "content", "other\nnets", facts(nets="network"), type="networkgroup") == [
        ('Entry "other" is not a valid alias.', "other")
    ]
    assert check(ALIAS, "content", "web_ports", facts(web_ports="port"), type="port") == []


def test_alias_content_port_range_with_a_dash_gets_a_hint():
    [(message, entry)] = check(ALIAS, "content", "8000-8080", facts(), type="port")
    assert message.startswith('Entry "8000-8080" is not a valid port number. ') and "colon" in message


@pytest.mark.parametrize(
    "value,ok",
    [("any", True), ("(self)", True), ("lan", True), ("lanip", True), ("web", True), ("10.0.0.1", True),
     ("10.0.0.0/24", True), ("lan,web", True), ("lan99", False), ("lan99ip", False), ("ports", False),
     ("10.0.0.1,10.0.0.2", False), ("10.0.0.0/40", False), ("nope", False)],
)  # fmt: skip
def test_network_alias(value, ok):
    problems = check(RULE, "source_net", value, facts(web="host", ports="port"))
    assert (problems == []) is ok
    if not ok:
        assert problems == [("%s is not a valid source IP address or alias." % value, value)]


def test_network_alias_without_facts_refuses_only_what_is_never_a_name():
    assert check(RULE, "destination_net", "nope") == []
    assert check(RULE, "destination_net", "10.0.0.0/40") != []


@pytest.mark.parametrize(
    "value,ok",
    [("443", True), ("HTTPS", True), ("80-90", True), ("90-80", False), ("0", False), ("65536", False),
     ("ports", True), ("web", False), ("nope", False), ("afs3-fileserver", False), ("80 - 90", False)],
)  # fmt: skip
def test_port(value, ok):
    problems = check(RULE, "destination_port", value, facts(web="host", ports="port"))
    assert (problems == []) is ok
    if not ok:
        assert problems == [("Please specify a valid portnumber, name, alias or range.", value)]


def test_port_names_are_left_to_opnsense_while_aliases_are_unknown():
    assert check(RULE, "destination_port", "ports") == [] and check(RULE, "destination_port", "99999") != []


@pytest.mark.parametrize("value,ok", [("4789", True), ("1", True), ("65535", True), ("0", False), ("65536", False),
                                      ("http", False), ("1000-2000", False), ("01", False)])  # fmt: skip
def test_plain_port_takes_numbers_only(value, ok):
    """A PortField without EnableWellKnown, EnableRanges and EnableAlias (VxLan.xml): numbers only,
    with the short default message."""
    assert check(REGISTRY["interfaces_vxlan"], "local_port", value) == (
        [] if ok else [("Please specify a valid port number (1-65535).", value)]
    )


@pytest.mark.parametrize("value,ok", [("1", True), ("10", True), ("0", False), ("x", False), ("-1", False)])
def test_auto_number_is_an_integer_from_one(value, ok):
    from ansible_collections.opnform.opnsense.plugins.module_utils import _fieldtypes as F

    field = REGISTRY["interfaces_loopback"].field("device_id")
    problems = F.CHECKS[field.ftype](field, value, Context("interfaces_loopback", {}, None))
    assert problems == ([] if ok else [("Invalid integer value.", value)])


@pytest.mark.parametrize(
    "name,messages",
    [("servers", []), ("lan", []), ("my_group", []),
     ("bad-name", ["Only letters, digits and underscores are allowed as the group name."]),
     ("a_much_too_long_x", ["The group name shall not be longer than 15 characters."]),
     ("1net", ["The group name shall not start or end with a digit."]),
     ("1-x", ["Only letters, digits and underscores are allowed as the group name.",
              "The group name shall not start or end with a digit."]),
     ("system", ["The specified group name is already used by an interface. Please choose another name."])],
)  # fmt: skip
def test_group_name(name, messages):
    """GroupNameField.php: every message of its callback; `$cnf->$value` is a config.xml section."""
    assert [m for m, _v in check(REGISTRY["firewall_group"], "name", name)] == messages


def test_port_without_ranges_or_aliases():
    """DNat.xml's local-port has no EnableRanges; Filter.xml's snatrules target_port no EnableAlias."""
    dnat, snat = REGISTRY["firewall_nat_destination"], REGISTRY["firewall_nat_source"]
    assert check(dnat, "local_port", "8000-8080") == [("Please specify a valid port number or alias.", "8000-8080")]
    assert check(dnat, "local_port", "https") == [] and check(dnat, "local_port", "8443") == []
    assert check(snat, "target_port", "8000-8080") == []
    ((message, value),) = check(snat, "target_port", "web_ports", facts(web_ports="port"))
    assert message.startswith("Please specify a valid port number (1-65535). A service name is also possible (")
    assert value == "web_ports"
