"""Kea DHCPv4 subnets and reservations over HTTPS: /api/kea/ (core 26.7.2 KeaDhcpv4.xml, KeaDhcpv4.php,
Kea/Api/Dhcpv4Controller.php and ServiceController.php)."""

from __future__ import annotations

import pytest

BASE = "/api/kea/dhcpv4"


def add(api, kind, **fields):
    return api.post(f"{BASE}/add_{kind}", json={"subnet4" if kind == "subnet" else kind: fields}).json()


def subnet(api, cidr="192.168.1.0/24", **more):
    body = add(api, "subnet", subnet=cidr, **more)
    assert body["result"] == "saved", body
    return body["uuid"]


def test_subnet_defaults_nested_option_data_and_search(api):
    uuid = subnet(api, option_data={"routers": "192.168.1.1", "domain_name": "lan"})
    got = api.get(f"{BASE}/get_subnet/{uuid}").json()["subnet4"]
    assert (got["subnet_id"], got["option_data_autocollect"], got["match-client-id"]) == ("1", "1", "1")
    assert got["option_data"]["routers"] == {"192.168.1.1": {"value": "192.168.1.1", "selected": 1}}
    assert got["option_data"]["domain_name"] == "lan"
    (row,) = api.get(f"{BASE}/search_subnet").json()["rows"]
    assert row["option_data.routers"] == "192.168.1.1" and row["subnet"] == "192.168.1.0/24"
    assert subnet(api, "192.168.2.0/24") and add(api, "subnet", subnet="10.0.0.0/8")["result"] == "saved"
    ids = sorted(r["subnet_id"] for r in api.get(f"{BASE}/search_subnet").json()["rows"])
    assert ids == ["1", "2", "3"]
    copy = api.get(f"{BASE}/get_subnet/{uuid}", params={"fetchmode": "copy"}).json()["subnet4"]
    assert copy["subnet_id"] == 4


@pytest.mark.parametrize(
    "fields,errors",
    [
        ({"subnet": ""}, {"subnet4.subnet": "A value is required."}),
        ({"subnet": "192.168.1.1"}, {"subnet4.subnet": "Please specify a valid network segment or IP address."}),
        ({"subnet": "2001:db8::/64"}, {"subnet4.subnet": "Please specify a valid network segment or IP address."}),
        ({"subnet": "192.168.5.0/24", "pools": "192.168.5.10-192.168.5.20\n192.168.5.128/25"}, {}),
        # KeaDhcpv4.php never calls KeaPoolsField::checkSubnet(): a pool outside the subnet passes.
        ({"subnet": "192.168.5.0/24", "pools": "10.0.0.1 - 10.0.0.9"}, {}),
        (
            {"subnet": "192.168.5.0/24", "pools": "10.0.0.1"},
            {"subnet4.pools": 'Entry "10.0.0.1" is not a valid range or subnet.'},
        ),
        (
            {"subnet": "192.168.5.0/24", "option_data": {"routers": "192.168.5.1/24"}},
            {"subnet4.option_data.routers": "Please specify a valid network segment or IP address."},
        ),
        (
            {"subnet": "192.168.5.0/24", "option_data": {"static_routes": "10.0.0.1"}},
            {"subnet4.option_data.static_routes": 'Entry "10.0.0.1," is not a valid dest-ip,router-ip pair.'},
        ),
        (
            {"subnet": "192.168.5.0/24", "option_data": {"classless_static_route": "10.0.0.1/8 - 192.168.5.1"}},
            {
                "subnet4.option_data.classless_static_route": 'Entry "10.0.0.1/8,192.168.5.1" is not a valid dest_net - router_ip pair.'
            },
        ),
        (
            {"subnet": "192.168.5.0/24", "option_data": {"v6_only_preferred": "10"}},
            {"subnet4.option_data.v6_only_preferred": "Invalid integer value."},
        ),
        (
            {"subnet": "192.168.5.0/24", "ddns_forward_zone": "example.com"},
            {"subnet4.ddns_dns_server": "Forward zone and DNS server must either both be set or left empty."},
        ),
        (
            {"subnet": "192.168.5.0/24", "ddns_domain_key_secret": "c2VjcmV0"},
            {
                "subnet4.ddns_domain_key_name": "TSIG name and secret must either both be set or left empty.",
                "subnet4.ddns_domain_key_algorithm": "An algorithm is required if a TSIG secret is set.",
            },
        ),
        (
            {"subnet": "192.168.5.0/24", "ddns_domain_key_name": "k", "ddns_domain_key_secret": "c2VjcmV0"},
            {"subnet4.ddns_domain_key_algorithm": "An algorithm is required if a TSIG secret is set."},
        ),
        (
            {
                "subnet": "192.168.5.0/24",
                "ddns_domain_key_name": "k",
                "ddns_domain_key_secret": "not base64!",
                "ddns_domain_key_algorithm": "hmac-sha256",
            },
            {"subnet4.ddns_domain_key_secret": "Invalid Base64-encoded string."},
        ),
        (
            {"subnet": "192.168.5.0/24", "ddns_dns_port": "domain"},
            {"subnet4.ddns_dns_port": "Please specify a valid port number (1-65535)."},
        ),
        ({"subnet": "192.168.5.0/24", "subnet_id": "0"}, {"subnet4.subnet_id": "Invalid integer value."}),
    ],
)
def test_subnet_validation(api, fields, errors):
    body = add(api, "subnet", **fields)
    if errors:
        assert body == {"result": "failed", "validations": errors}
    else:
        assert body["result"] == "saved", body


def test_subnet_and_its_id_are_unique(api):
    subnet(api, "192.168.1.0/24", subnet_id="7")
    body = add(api, "subnet", subnet="192.168.1.0/24", subnet_id="7")
    assert body["validations"] == {
        "subnet4.subnet_id": "Subnet ID must be unique.",
        "subnet4.subnet": "Subnet must be unique.",
    }


def test_reservations(api):
    lan = subnet(api)
    dmz = subnet(api, "10.0.0.0/24")
    ok = add(api, "reservation", subnet=lan, ip_address="192.168.1.10", hw_address="00:11:22:33:44:55")
    assert ok["result"] == "saved"
    # The same MAC (any case) in the same subnet; the same MAC elsewhere is fine.
    assert add(api, "reservation", subnet=lan, ip_address="192.168.1.11", hw_address="00:11:22:33:44:55".upper())[
        "validations"
    ] == {"reservation.hw_address": "Duplicate entry exists.", "reservation.subnet": "Duplicate entry exists."}
    assert (
        add(api, "reservation", subnet=dmz, ip_address="10.0.0.10", hw_address="00:11:22:33:44:55")["result"] == "saved"
    )
    assert add(api, "reservation", subnet=dmz, ip_address="192.168.1.10", client_id="01:02")["validations"] == {
        "reservation.ip_address": ["Duplicate entry exists.", "Address not in specified subnet"]
    }
    assert add(api, "reservation", subnet=lan, ip_address="192.168.1.12")["validations"] == {
        "reservation.hw_address": "Either a client ID or a MAC address should be specified."
    }
    assert add(
        api, "reservation", subnet=lan, ip_address="192.168.1.12", client_id="01:02", hw_address="00:11:22:33:44:66"
    )["validations"] == {
        "reservation.hw_address": "Either a client ID or a MAC address should be specified, but not both"
    }
    assert add(api, "reservation", ip_address="192.168.1.13", hw_address="00:11:22:33:44:77")["validations"] == {
        "reservation.subnet": "A value is required.",
        "reservation.ip_address": "Address not in specified subnet",
    }
    bad = add(api, "reservation", subnet=lan, ip_address="192.168.1.14", hw_address="xx", client_id="1")
    assert bad["validations"]["reservation.hw_address"][0] == "Invalid MAC address."
    assert bad["validations"]["reservation.client_id"] == (
        "Value must be a colon-separated hexadecimal sequence (e.g., 01:02:f3)."
    )


def test_a_subnet_with_reservations_cannot_be_deleted(api, sim):
    lan = subnet(api)
    res = add(api, "reservation", subnet=lan, ip_address="192.168.1.10", hw_address="00:11:22:33:44:55")["uuid"]
    answer = api.post(f"{BASE}/del_subnet/{lan}")
    # A subnet has a description field: the title shows it, empty here.
    assert answer.status_code == 500 and answer.json()["errorTitle"] == "Item subnets.subnet4 {} in use by:"
    assert answer.json()["errorMessage"] == f"dhcp4 -  {{dhcp4.reservations.reservation.{res}}}\n"
    assert api.post(f"{BASE}/del_reservation/{res}").json() == {"result": "deleted"}
    assert api.post(f"{BASE}/del_subnet/{lan}").json() == {"result": "deleted"}


def test_reconfigure_makes_subnets_running(api, sim):
    subnet(api)
    assert not sim.state()["running"].get("kea.subnet4")
    assert api.post("/api/kea/service/reconfigure").json() == {"status": "ok"}
    assert len(sim.state()["running"]["kea.subnet4"]) == 1
    assert api.get("/api/kea/service/status").json()["status"] == "disabled"


def test_nested_containers_become_dotted_fields():
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).parents[1] / "tools"))
    import model_from_xml

    xml = """<model><mount>//x</mount><items><subnets><subnet4 type="ArrayField">
      <subnet type="NetworkField"/><option_data><routers type="NetworkField"><AsList>Y</AsList></routers></option_data>
      </subnet4></subnets></items></model>"""
    fields = model_from_xml.convert(xml, "OPNsense.Kea.KeaDhcpv4", "kea")["items"][0]["fields"]
    assert list(fields) == ["subnet", "option_data.routers"]
    assert fields["option_data.routers"] == {"type": "NetworkField", "AsList": "Y"}


def test_26_1_has_no_subnet_id(api, sim):
    sim.reset("26.1")
    uuid = subnet(api, subnet_id="5")
    assert "subnet_id" not in api.get(f"{BASE}/get_subnet/{uuid}").json()["subnet4"]
    assert "subnet_id" not in api.get(f"{BASE}/get_subnet").json()["subnet4"]
    (row,) = api.get(f"{BASE}/search_subnet").json()["rows"]
    assert "subnet_id" not in row and row["option_data.routers"] == ""
    assert "subnet_id" not in sim.state()["config"]["kea.subnet4"][uuid]
    assert "subnet_id" not in api.get(f"{BASE}/get_subnet/{uuid}", params={"fetchmode": "copy"}).json()["subnet4"]
    assert subnet(api, "192.168.2.0/24")
