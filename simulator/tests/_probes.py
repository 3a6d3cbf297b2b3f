"""A test-only service ("probes") with one field per core field type and option, set up as a model
XML would set it, so each PHP rule of core/fields can be checked over HTTPS. Tests use the
`psim`/`papi` fixtures, which run a simulator with this module in its service catalogue."""

from __future__ import annotations

from typing import Any

from _services import service_fixtures
from opnsense_sim.app import action
from opnsense_sim.core.controller import MutableModelController
from opnsense_sim.core.fields import (
    BooleanField,
    CSVListField,
    DescriptionField,
    EmailField,
    HostnameField,
    IntegerField,
    InterfaceField,
    ItemType,
    Model,
    ModelRelationField,
    NetworkField,
    NumericField,
    OptionField,
    StrictTextField,
    TextField,
    UrlField,
)

PROBE = ItemType(
    key="sim.probe",
    path="probes.probe",
    fields={
        "relation": ModelRelationField("firewall.category"),
        "relations": ModelRelationField("firewall.category", multiple=True),
        "network": NetworkField(),
        "networks": NetworkField(as_list=True, family="ipv4", strict=True),
        "host": HostnameField(),
        "dnsname": HostnameField(dns_name=True, ip_allowed=False),
        "hosts": HostnameField(as_list=True, host_wildcard=True, fqdn_wildcard=True, zone_root=True),
        "descr": DescriptionField(),
        "strict": StrictTextField(),
        "flag": BooleanField(),
        "count": IntegerField(),
        "amount": NumericField(),
        "words": CSVListField(mask="/^[a-z]+$/", per_item=True, message="Lower-case words only."),
        "letters": TextField(mask="/^[a-z]{1,3}$/i", message="One to three letters."),
        "bytes3": TextField(mask="/^.{1,3}$/"),
        "chars3": TextField(mask="/^.{1,3}$/u"),
        "code": TextField(upper=True),
        "twice": TextField(mask="/^x$/", message="[%s] or [%s]"),
        "mail": EmailField(),
        "url": UrlField(),
        "level": OptionField({"0": "Zero", "1": "One"}, default="0", required=True),
        "kind": OptionField({"a": "", "b": "Bee"}),
        "iface": InterfaceField(filters={"if": "/^vtnet[01]$/"}),
    },
)

MODEL = Model(name="probes", mount="OPNsense/Sim/Probes", version="1.0.0", items=[PROBE], subsystem="probe")
MODELS = [MODEL]


class ProbeController(MutableModelController):
    namespace = "Sim"
    name = "Probe"
    model = MODEL

    @action
    def getItem(self, uuid: str | None = None) -> dict[str, Any]:
        return self.get_base("probe", "probes.probe", uuid)

    @action
    def addItem(self) -> dict[str, Any]:
        return self.add_base("probe", "probes.probe")

    @action
    def setItem(self, uuid: str) -> dict[str, Any]:
        return self.set_base("probe", "probes.probe", uuid)


CONTROLLERS = [ProbeController]

probe_simulator, psim, papi = service_fixtures("_probes", "probe_simulator", "psim", "papi")
