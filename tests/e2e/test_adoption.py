"""Adoption is write-free (issue 12), for every type in the registry.

An object made through the raw API with only its identity and required fields (requests over HTTPS,
not the collection) is what OPNsense stores for such a post: each field's model default. A resource
that gives the same identity and required fields must then be adopted as it is: the plan adopts it
with no change, no write and no reload reach the firewall, and the deployment state records it. A
value on top of that is one update of exactly that field.

The tests are parametrised from the registry: a new type fails here until it has its entry in
``MINIMAL`` (and ``CHANGE``), which is how it gets covered.
"""

from __future__ import annotations

import json

import pytest
from apply_helpers import RELOAD, api, apply_task, enable_haproxy, engine_apply, writes
from e2e_helpers import needs_apply

from ansible_collections.opnform.opnsense.plugins.module_utils._registry import REGISTRY

pytestmark = needs_apply

TYPES = sorted(REGISTRY)

# Per type: (body posted raw under the spec's key, in API names and strings; the same object as a
# resource: name and properties in user terms). Identity and required fields only, plus what the
# model's validation requires for that choice (an A record's address).
MINIMAL = {
    "dnsmasq_host": (
        {"host": "adopt", "domain": "example.org", "ip": "192.0.2.9"},
        "adopt_dnsmasq_host",
        {"host": "adopt", "domain": "example.org", "ip": ["192.0.2.9"]},
    ),
    "dnsmasq_range": (
        {"start_addr": "192.0.2.100", "end_addr": "192.0.2.150"},
        "adopt_dnsmasq_range",
        {"start_addr": "192.0.2.100", "end_addr": "192.0.2.150"},
    ),
    "kea_dhcpv4_reservation": (
        {"ip_address": "192.0.2.10", "hw_address": "00:11:22:33:44:55"},
        "adopt_kea_reservation",
        {"subnet": "192.0.2.0/24", "ip_address": "192.0.2.10", "hw_address": "00:11:22:33:44:55"},
    ),
    "kea_dhcpv4_subnet": ({"subnet": "192.0.2.0/24"}, "adopt_kea_subnet", {"subnet": "192.0.2.0/24"}),
    "firewall_alias": ({"name": "adopt_alias", "type": "host"}, "adopt_alias", {"type": "host"}),
    "firewall_category": ({"name": "adopt_category"}, "adopt_category", {}),
    "firewall_filter_rule": ({"description": "adopt rule"}, "adopt rule", {}),
    "firewall_group": ({"ifname": "adoptgrp", "members": "lan"}, "adoptgrp", {"members": ["lan"]}),
    "firewall_nat_npt": (
        {"description": "adopt npt", "source_net": "fd00:1::/64", "destination_net": "2001:db8:1::/64"},
        "adopt npt",
        {"source_net": "fd00:1::/64", "destination_net": "2001:db8:1::/64"},
    ),
    "firewall_nat_destination": ({"descr": "adopt dnat"}, "adopt dnat", {}),
    "firewall_nat_source": ({"description": "adopt snat"}, "adopt snat", {}),
    "firewall_nat_one_to_one": (
        {"description": "adopt 1:1", "source_net": "10.0.0.5", "external": "203.0.113.5"},
        "adopt 1:1",
        {"source_net": "10.0.0.5", "external": "203.0.113.5"},
    ),
    "haproxy_acl": ({"name": "adopt_acl", "expression": "ssl_fc"}, "adopt_acl", {"expression": "ssl_fc"}),
    "haproxy_action": ({"name": "adopt_action", "type": "compression"}, "adopt_action", {"type": "compression"}),
    "haproxy_backend": ({"name": "adopt_backend"}, "adopt_backend", {}),
    "haproxy_frontend": (
        {"name": "adopt_frontend", "bind": "0.0.0.0:8443"},
        "adopt_frontend",
        {"bind": ["0.0.0.0:8443"]},
    ),
    "haproxy_healthcheck": ({"name": "adopt_healthcheck"}, "adopt_healthcheck", {}),
    "haproxy_server": ({"name": "adopt_server"}, "adopt_server", {}),
    # Settings always exist (nothing is posted): HAProxy as PLUGIN_SETUP leaves it, enabled.
    "haproxy_settings": ({}, "haproxy", {"enabled": True}),
    # addItem names GIF, GRE and LAGG devices itself (the first free gif0, gre0, lagg0, overlaid on
    # what is posted); the name is their identity, posted here as addItem will set it.
    "interfaces_gif": (
        {"gifif": "gif0", "local-addr": "wan"},
        "adopt_gif",
        {"device": "gif0", "local_address": "wan"},
    ),
    "interfaces_gre": (
        {"greif": "gre0", "local-addr": "wan"},
        "adopt_gre",
        {"device": "gre0", "local_address": "wan"},
    ),
    "interfaces_lagg": ({"laggif": "lagg0", "members": "igb3"}, "adopt_lagg", {"device": "lagg0", "members": ["igb3"]}),
    "interfaces_loopback": ({"description": "adopt loopback"}, "adopt loopback", {}),
    "interfaces_vlan": ({"if": "igb1", "tag": "300"}, "adopt_vlan", {"parent": "igb1", "tag": 300}),
    "interfaces_vip": (
        {"interface": "lan", "network": "192.168.1.77/24"},
        "adopt_vip",
        {"network": "192.168.1.77/24", "interface": "lan"},
    ),
    "interfaces_vxlan": (
        {"vxlanid": "4242", "vxlanlocal": "192.168.1.1", "vxlanremote": "192.0.2.77"},
        "adopt_vxlan",
        {"vni": 4242, "local_address": "192.168.1.1", "remote_address": "192.0.2.77"},
    ),
    "routes_gateway": ({"name": "ADOPT_GW", "gateway": "10.0.0.254"}, "ADOPT_GW", {"gateway": "10.0.0.254"}),
    "routes_route": (
        {"network": "10.77.0.0/24", "gateway": "Null4"},
        "adopt_route",
        {"network": "10.77.0.0/24", "gateway": "Null4"},
    ),
    "unbound_acl": (
        {"name": "adopt_acl", "networks": "192.0.2.0/24"},
        "adopt_acl",
        {"networks": ["192.0.2.0/24"]},
    ),
    "unbound_forward": ({"server": "192.0.2.53"}, "adopt_forward", {"server": "192.0.2.53"}),
    # "host" is filled in with the uuid of the host override below (REFERS)
    "unbound_host_alias": (
        {"hostname": "adoptalias"},
        "adoptalias",
        {"host": "adopt.example.org A", "hostname": "adoptalias"},
    ),
    "unbound_host_override": (
        {"hostname": "adopt", "domain": "example.org", "server": "192.0.2.9"},
        "adopt_host",
        {"hostname": "adopt", "domain": "example.org", "server": "192.0.2.9"},
    ),
    # A factory config runs Unbound.
    "unbound_settings": ({}, "unbound", {"enabled": True}),
}

# Per type: (user field, a value other than OPNsense's default, the API field it is stored in).
CHANGE = {
    "dnsmasq_host": ("description", "changed", "descr"),
    "dnsmasq_range": ("description", "changed", "description"),
    "kea_dhcpv4_reservation": ("description", "changed", "description"),
    "kea_dhcpv4_subnet": ("description", "changed", "description"),
    "firewall_alias": ("counters", True, "counters"),
    "firewall_category": ("color", "ff0000", "color"),
    "firewall_filter_rule": ("log", True, "log"),
    "firewall_group": ("nogroup", True, "nogroup"),
    "firewall_nat_destination": ("log", True, "log"),
    "firewall_nat_npt": ("log", True, "log"),
    "firewall_nat_one_to_one": ("natreflection", "disable", "natreflection"),
    "firewall_nat_source": ("staticnatport", True, "staticnatport"),
    "haproxy_acl": ("description", "changed", "description"),
    "haproxy_action": ("description", "changed", "description"),
    "haproxy_backend": ("description", "changed", "description"),
    "haproxy_frontend": ("description", "changed", "description"),
    "haproxy_healthcheck": ("interval", "5s", "interval"),
    "haproxy_server": ("description", "changed", "description"),
    "haproxy_settings": ("tuning_max_connections", 1000, "tuning.maxConnections"),
    "interfaces_gif": ("description", "changed", "descr"),
    "interfaces_gre": ("description", "changed", "descr"),
    "interfaces_lagg": ("description", "changed", "descr"),
    "interfaces_loopback": ("device_id", 7, "deviceId"),
    "interfaces_vlan": ("description", "changed", "descr"),
    "interfaces_vip": ("description", "changed", "descr"),
    "interfaces_vxlan": ("local_port", 4790, "vxlanlocalport"),
    "routes_gateway": ("description", "changed", "descr"),
    "routes_route": ("description", "changed", "descr"),
    "unbound_acl": ("action", "deny", "action"),
    "unbound_forward": ("forward_first", True, "forward_first"),
    "unbound_host_alias": ("description", "changed", "description"),
    "unbound_host_override": ("description", "changed", "description"),
    "unbound_settings": ("dnssec", True, "dnssec"),
}

# Fields OPNsense stamps itself on every write (DNatController::setBaseHook()).
STAMPED = {"firewall_nat_destination": ("updated.time", "updated.username", "updated.description")}

# A required reference of a minimal object: (its API field, the type it refers to). The referenced
# object is the other type's minimal object, made first; create_raw makes each minimal object once.
REFERS = {
    "kea_dhcpv4_reservation": ("subnet", "kea_dhcpv4_subnet"),
    "unbound_host_alias": ("host", "unbound_host_override"),
}

# What a type's plugin needs switched on in the simulator before its objects are used.
PLUGIN_SETUP = {"os-haproxy": enable_haproxy}


def _minimal(type_name):
    assert type_name in MINIMAL, "%s: add its identity and required fields to MINIMAL" % type_name
    return MINIMAL[type_name]


def create_raw(sim, type_name):
    """The object through the raw API; its uuid."""
    spec = REGISTRY[type_name]
    setup = PLUGIN_SETUP.get(spec.plugin) if spec.plugin else None
    if setup is not None:
        setup(sim)
    if spec.settings:
        return spec.settings_uuid  # one object per firewall, always there
    body = dict(_minimal(type_name)[0])
    if type_name in REFERS:
        field, target = REFERS[type_name]
        body[field] = create_raw(sim, target)
    found = _existing(sim, body)
    if found is not None:  # made already as what another minimal object refers to
        return found
    answer = api(sim, "POST", spec.path("add"), {spec.key: body})
    assert answer.get("result") == "saved", answer
    return answer["uuid"]


def _existing(sim, body):
    """The uuid of a stored object holding every value of ``body``, or None."""
    for items in sim.state()["config"].values():
        for uuid, item in items.items():
            if all(item.get(k) == v for k, v in body.items()):
                return uuid
    return None


def resource(type_name, **more):
    _body, name, props = _minimal(type_name)
    return {"type": type_name, "name": name, "properties": dict(props, **more)}


def stored(sim, type_name, uuid):
    """The object as config.xml holds it: ``{api field: string}`` (settings: the values set under
    their node, by dotted API name)."""
    spec = REGISTRY[type_name]
    if spec.settings:
        model, _dot, node = spec.key.partition(".")
        values = sim.state()["settings"].get(model, {})
        return dict((k[len(node) + 1 :], v) for k, v in values.items() if k.startswith(node + "."))
    for items in sim.state()["config"].values():
        if uuid in items:
            return items[uuid]
    raise AssertionError("%s %s is not in the configuration" % (type_name, uuid))


def state_uuids(state_dir, sim, deployment):
    path = state_dir / ("127.0.0.1_%d" % sim.port) / "deployments" / ("%s.json" % deployment)
    return [r["uuid"] for r in json.loads(path.read_text())["resources"]]


def reloads(log):
    return [e for e in log if RELOAD.search(e["path"])]


def test_every_type_has_an_entry():
    """A type added to the registry is covered once it has its entries here."""
    assert [t for t in TYPES if t not in MINIMAL] == [], "add the identity and required fields to MINIMAL"
    assert [t for t in TYPES if t not in CHANGE] == [], "add a field and a non-default value to CHANGE"
    assert sorted(set(MINIMAL) | set(CHANGE)) == TYPES, "entries for types the registry no longer has"


@pytest.mark.parametrize("release", ["current", "26.1"])
@pytest.mark.parametrize("type_name", TYPES)
def test_adopting_what_matches_writes_nothing(project, sim, type_name, release):
    if release != "current":
        sim.reset(release)  # the older series the collection supports: fields it lacks are not compared
    uuid = create_raw(sim, type_name)
    before = sim.state()
    sim.clear_log()
    result = engine_apply(sim, project.state, [resource(type_name)], deployment="adopt")
    log = sim.log()
    summary = result["plan"]["summary"]
    assert (summary["adopt"], summary["noop"], summary["create"], summary["update"]) == (1, 1, 0, 0), summary
    (action,) = result["results"]
    assert (action["op"], action["adopted"], action["uuid"]) == ("noop", True, uuid)
    assert writes(log) == [] and reloads(log) == [], [e["path"] for e in log]
    after = sim.state()
    assert (after["config"], after["running"], after["pending"]) == (
        before["config"],
        before["running"],
        before["pending"],
    )
    assert not result["changed"]
    assert uuid in state_uuids(project.state, sim, "adopt")


@pytest.mark.parametrize("type_name", TYPES)
def test_a_value_on_top_is_one_update_of_that_field(project, sim, type_name):
    spec = REGISTRY[type_name]
    uuid = create_raw(sim, type_name)
    field, value, api_name = CHANGE[type_name]
    before = dict(stored(sim, type_name, uuid))
    sim.clear_log()
    result = engine_apply(sim, project.state, [resource(type_name, **{field: value})], deployment="adopt")
    log = sim.log()
    summary = result["plan"]["summary"]
    assert (summary["adopt"], summary["update"], summary["create"]) == (1, 1, 0), summary
    (action,) = result["results"]
    assert (action["op"], action["adopted"], action["uuid"]) == ("update", True, uuid)
    assert [c["field"] for c in result["plan"]["actions"][0]["changes"]] == [field]
    write = spec.path("set") if spec.settings else spec.path("set", uuid)  # settings: the whole-model set
    assert [e["path"] for e in writes(log)] == ["/api/" + write]
    applied = [e["path"] for e in reloads(log) if not e["path"].endswith("/configtest")]
    assert len(applied) == (1 if spec.reload else 0), applied
    after = stored(sim, type_name, uuid)
    stamped = STAMPED.get(type_name, ())
    assert sorted(k for k in set(before) | set(after) if before.get(k) != after.get(k) and k not in stamped) == [
        api_name
    ]
    assert uuid in state_uuids(project.state, sim, "adopt")


def test_adoption_through_ansible_playbook_writes_nothing(project, sim):
    """Every type at once, through a real ``ansible-playbook`` run of ``opnform.opnsense.apply``."""
    uuids = dict((type_name, create_raw(sim, type_name)) for type_name in TYPES)
    before = sim.state()["config"]
    sim.clear_log()
    project.inventory({"fw1": sim})
    project.playbook(apply_task([resource(t) for t in TYPES], deployment="adopt"))
    outcome = project.playbook_run()
    assert outcome.rc == 0, outcome.stdout
    result = project.result("fw1")
    log = sim.log()
    summary = result["plan"]["summary"]
    assert (summary["adopt"], summary["noop"], summary["create"], summary["update"]) == (len(TYPES),) * 2 + (0, 0)
    assert not result["changed"]
    assert writes(log) == [] and reloads(log) == [], [e["path"] for e in log]
    assert sim.state()["config"] == before
    assert sorted(state_uuids(project.state, sim, "adopt")) == sorted(uuids.values())
