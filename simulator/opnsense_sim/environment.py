"""The simulated system around the configuration: version, hostname, NICs, interfaces, API users.

These are the parts of a firewall that the API reads from the running system rather than from the
models: `ifconfig` devices for VLAN parents, assigned interfaces for InterfaceFields, the product
version for /api/core/firmware/status.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

from .core.php import ascii_upper

SUPPORTED_VERSIONS = {"26.7": "26.7.2", "26.1": "26.1.11"}


@dataclass
class Interface:
    key: str  # lan, wan, opt1
    descr: str  # LAN, WAN, DMZ
    device: str  # vtnet0
    ipaddr: str = ""
    subnet: str = ""
    ipaddrv6: str = ""
    subnetv6: str = ""
    virtual: bool = False
    gateway: str = ""  # <gateway> of the interface: a gateway name (blocks deleting that gateway)
    router: str = ""  # IPv4 router learned on the device (Autoconf::getRouter), makes a dynamic gateway
    routerv6: str = ""  # the same for IPv6

    @property
    def label(self) -> str:
        """How option lists name it (InterfaceField.php): the description, else the key upper-cased."""
        return self.descr or ascii_upper(self.key)


@dataclass
class Environment:
    version: str = "26.7"
    product_name: str = "OPNsense"
    hostname: str = "OPNsense"
    domain: str = "localdomain"
    arch: str = "amd64"
    # Physical NICs as `ifconfig` lists them; VLAN parents are chosen from these (interfaces-and-services.md 1).
    nics: list[str] = field(default_factory=lambda: ["vtnet0", "vtnet1", "vtnet2", "igb0", "igb1", "igb2", "igb3"])
    interfaces: list[Interface] = field(
        default_factory=lambda: [
            Interface("lan", "LAN", "vtnet0", "192.168.1.1", "24"),
            Interface("wan", "WAN", "vtnet1", "203.0.113.2", "24"),
            Interface("opt1", "DMZ", "vtnet2", "10.20.0.1", "24"),
        ]
    )
    plugins: list[str] = field(default_factory=lambda: ["os-haproxy"])
    # Interface groups registered as interfaces (`interface invoke registration`, firewall/group
    # reconfigure): name -> {"members": [...], "sequence": "0"}; they are virtual, internal_dynamic
    # entries of config.xml's <interfaces> (services/firewall/FACTS.md).
    interface_groups: dict[str, dict[str, Any]] = field(default_factory=dict)
    api_users: dict[str, tuple[str, str]] = field(default_factory=dict)  # key -> (secret, username)

    @property
    def product_version(self) -> str:
        return SUPPORTED_VERSIONS[self.version]

    @property
    def fqdn(self) -> str:
        return f"{self.hostname}.{self.domain}"

    @property
    def host_id(self) -> str:
        """A stable identity for this simulated box (what checkpoints compare)."""
        return hashlib.sha256(f"{self.fqdn}/{sorted(self.api_users)}".encode()).hexdigest()[:16]

    def interface_options(self) -> dict[str, str]:
        return {i.key: i.descr for i in self.interfaces}

    def interface(self, key: str) -> Interface | None:
        return next((i for i in self.interfaces if i.key == key), None)

    def device_assigned(self, device: str) -> Interface | None:
        return next((i for i in self.interfaces if i.device == device), None)

    def authenticate(self, key: str, secret: str) -> str | None:
        user = self.api_users.get(key)
        if user is None or user[0] != secret:
            return None
        return user[1]
