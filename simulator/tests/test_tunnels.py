"""GIF and GRE tunnels over HTTPS: /api/interfaces/gif_settings/ and /api/interfaces/gre_settings/
(core 26.7.2 Gif.xml, Gre.xml, Gif.php, Gre.php, LinkAddressField.php, Gif/GreSettingsController.php)."""

from __future__ import annotations

import pytest
from opnsense_sim.environment import Interface

KINDS = ["gif", "gre"]


def base(kind: str) -> str:
    return f"/api/interfaces/{kind}_settings"


def add(api, kind, **tunnel):
    r = api.post(f"{base(kind)}/addItem", json={kind: tunnel})
    assert r.status_code == 200
    return r.json()


def added(api, kind, **tunnel) -> str:
    body = add(api, kind, **tunnel)
    assert body["result"] == "saved", body
    return body["uuid"]


def item(api, kind, uuid):
    return api.get(f"{base(kind)}/getItem/{uuid}").json()[kind]


def stored(sim, kind, uuid):
    return sim.state()["config"][f"interfaces.{kind}"][uuid]


@pytest.mark.parametrize("kind", KINDS)
def test_devices_are_named_from_zero_and_kept_on_set(sim, api, kind):
    first = added(api, kind, **{"local-addr": "wan", "remote-addr": "198.51.100.1"})
    second = added(api, kind, **{"local-addr": "wan", "remote-addr": "198.51.100.2", f"{kind}if": f"{kind}7"})
    assert item(api, kind, first)[f"{kind}if"] == f"{kind}0"
    assert item(api, kind, second)[f"{kind}if"] == f"{kind}1"  # the posted name is overlaid
    r = api.post(f"{base(kind)}/setItem/{first}", json={kind: {f"{kind}if": f"{kind}9", "descr": "x"}}).json()
    assert r == {"result": "saved"}
    assert stored(sim, kind, first)[f"{kind}if"] == f"{kind}0"
    api.post(f"{base(kind)}/delItem/{first}")
    assert item(api, kind, added(api, kind, **{"local-addr": "lan"}))[f"{kind}if"] == f"{kind}0"


@pytest.mark.parametrize("kind", KINDS)
def test_local_address_is_stored_as_interface_or_address(sim, api, kind):
    """LinkAddressField::setValue(): an IP goes to ipaddr, anything else to if; get shows either."""
    on_if = added(api, kind, **{"local-addr": "wan"})
    on_ip = added(api, kind, **{"local-addr": "192.0.2.1", "remote-addr": "198.51.100.1"})
    assert (stored(sim, kind, on_if)["if"], stored(sim, kind, on_if)["ipaddr"]) == ("wan", "")
    assert (stored(sim, kind, on_ip)["if"], stored(sim, kind, on_ip)["ipaddr"]) == ("", "192.0.2.1")
    assert "local-addr" not in stored(sim, kind, on_if)
    got = item(api, kind, on_if)
    assert got["local-addr"] == "wan" and got["%local-addr"] == "WAN"
    assert item(api, kind, on_ip)["local-addr"] == "192.0.2.1"
    rows = api.get(f"{base(kind)}/searchItem").json()["rows"]
    assert sorted(r["local-addr"] for r in rows) == ["192.0.2.1", "wan"]


@pytest.mark.parametrize("kind", KINDS)
def test_the_default_wan_never_lands(api, kind):
    """The XML default `wan` is the volatile field's own value, which getValue() never reads: a new
    tunnel without a local address fails, first LinkAddressField's CallbackValidator (which runs on
    an empty value too), then PresenceOf; the blank item shows it empty."""
    assert api.get(f"{base(kind)}/getItem").json()[kind]["local-addr"] == ""
    assert add(api, kind)["validations"] == {
        f"{kind}.local-addr": ["A valid network address is required.", "A value is required."]
    }


@pytest.mark.parametrize("kind", KINDS)
def test_validation(api, kind):
    body = add(api, kind, **{"local-addr": "nosuch", "tunnel-remote-net": "129", "remote-addr": "198.51.100.0/24"})
    assert body["validations"] == {
        f"{kind}.local-addr": "A valid network address is required.",
        f"{kind}.remote-addr": "Please specify a valid network segment or IP address.",
        f"{kind}.tunnel-remote-net": "Invalid integer value.",
    }
    body = add(
        api,
        kind,
        **{"local-addr": "2001:db8::1", "remote-addr": "198.51.100.1", "tunnel-local-addr": "10.0.0.1",
           "tunnel-remote-addr": "fd00::2"},
    )  # fmt: skip
    msg = "The remote address family has to match the one used in local."
    assert body["validations"] == {f"{kind}.remote-addr": msg, f"{kind}.tunnel-remote-addr": msg}


@pytest.mark.parametrize("kind,label", [("gif", "GIF"), ("gre", "GRE")])
def test_an_assigned_tunnel_cannot_be_deleted(sim, api, kind, label):
    uuid = added(api, kind, **{"local-addr": "wan"})
    sim.app.env.interfaces.append(Interface("opt2", "TUN", f"{kind}0"))
    r = api.post(f"{base(kind)}/delItem/{uuid}")
    assert r.status_code == 500
    assert r.json()["errorMessage"] == f"Cannot delete {label}. Currently in use by [opt2] "
    assert r.json()["errorTitle"] == f"{label} in use"


@pytest.mark.parametrize("kind", KINDS)
def test_if_options_and_reconfigure(sim, api, kind):
    opts = api.get(f"{base(kind)}/getIfOptions").json()
    assert opts == {
        "single": {"label": "Manual address"},
        "interfaces": {"items": {"opt1": "DMZ", "lan": "LAN", "wan": "WAN"}, "title": "Interfaces"},
        "carp": {"title": "CARP"},
        "ipalias": {"title": "IP Alias"},
    }
    assert api.post(f"{base(kind)}/getIfOptions").json() == {"status": "failed"}
    uuid = added(api, kind, **{"local-addr": "wan"})
    assert api.post(f"{base(kind)}/reconfigure").json() == {"status": "ok"}
    assert uuid in sim.state()["running"][f"interfaces.{kind}"]


def test_gif_has_no_noclamp_on_26_1(sim, api):
    """Gif.xml gained noclamp in 26.7."""
    uuid = added(api, "gif", **{"local-addr": "wan", "noclamp": "1"})
    assert item(api, "gif", uuid)["noclamp"] == "1"
    sim.reset("26.1")
    uuid = added(api, "gif", **{"local-addr": "wan", "noclamp": "1"})
    assert "noclamp" not in item(api, "gif", uuid)
    assert "noclamp" not in api.get(f"{base('gif')}/searchItem").json()["rows"][0]
    assert "noclamp" not in item(api, "gre", added(api, "gre", **{"local-addr": "wan"}))  # GRE never had it
