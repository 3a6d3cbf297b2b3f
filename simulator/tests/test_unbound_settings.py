"""Unbound's general settings through the whole-model get and set, /api/unbound/settings/get|set
(Unbound.xml 1.0.15 `general`, UnboundInterfaceField.php; unbound/README.md)."""

from __future__ import annotations

from opnsense_sim.environment import Interface

BASE = "/api/unbound/settings"


def general(api) -> dict:
    return api.get(f"{BASE}/get").json()["unbound"]["general"]


def post(api, **values) -> dict:
    r = api.post(f"{BASE}/set", json={"unbound": {"general": values}})
    assert r.status_code == 200, r.text
    return r.json()


def selected(options: dict) -> list[str]:
    return [key for key, opt in options.items() if opt["selected"] == 1]


def test_every_general_field_with_its_default(api):
    """Unbound.xml `general` in XML order; a fresh install has the resolver enabled."""
    got = general(api)
    assert list(got) == [
        "enabled", "port", "stats", "active_interface", "dnssec", "dns64", "dns64prefix", "noarecords",
        "regdhcp", "regdhcpdomain", "regdhcpstatic", "noreglladdr6", "noregrecords", "txtsupport",
        "cacheflush", "safesearch", "local_zone_type", "outgoing_interface", "enable_wpad",
    ]  # fmt: skip
    assert (got["enabled"], got["port"], got["dnssec"], got["dns64prefix"]) == ("1", "53", "0", "")
    assert selected(got["local_zone_type"]) == ["transparent"]
    assert selected(got["active_interface"]) == []


def test_interface_lists_offer_every_non_virtual_interface_by_description(sim, api):
    """UnboundInterfaceField: interfaces without <virtual>, labelled by description, natcasesort."""
    sim.app.env.interfaces.append(Interface("opt9", "", "lo1", virtual=True))
    sim.app.env.interfaces.append(Interface("opt3", "", "vtnet3"))
    options = general(api)["active_interface"]
    assert [(k, v["value"]) for k, v in options.items()] == [
        ("opt1", "DMZ"),
        ("lan", "LAN"),
        ("opt3", "OPT3"),
        ("wan", "WAN"),
    ]


def test_a_partial_set_changes_only_what_it_names(api):
    assert post(api, port="5353", active_interface="lan,opt1", dnssec="1")["result"] == "saved"
    got = general(api)
    assert (got["port"], got["dnssec"], got["enabled"]) == ("5353", "1", "1")
    assert selected(got["active_interface"]) == ["opt1", "lan"]
    assert selected(got["outgoing_interface"]) == []


def test_the_port_is_a_plain_port_number(api):
    """PortField without EnableWellKnown or EnableRanges: a well-known name or a range is refused."""
    for value in ("domain", "53-54", "0", "65536"):
        body = post(api, port=value)
        assert body == {
            "result": "failed",
            "validations": {"unbound.general.port": "Please specify a valid port number (1-65535)."},
        }, value
    assert general(api)["port"] == "53"


def test_field_validation_messages(api):
    body = post(api, dns64prefix="64:ff9b::", regdhcpdomain="bad domain", local_zone_type="nope", stats="x")
    assert body["result"] == "failed"
    validations = body["validations"]
    assert validations["unbound.general.regdhcpdomain"] == "A valid domain must be specified."
    assert "unbound.general.local_zone_type" in validations
    assert "unbound.general.dns64prefix" in validations
    assert general(api)["dns64prefix"] == ""


def test_unknown_interfaces_are_refused(api):
    body = post(api, outgoing_interface="lan,zz")
    assert body == {
        "result": "failed",
        "validations": {"unbound.general.outgoing_interface": "Option [zz] not in list."},
    }
