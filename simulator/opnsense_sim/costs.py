"""The cost model: what a connection, a request, a config write and a service reload cost in wall time.

Profiles (milliseconds; `keepalive` is requests per connection, 0 = unlimited):

| profile | rtt | request | write (under the writer lock) | item | reloads | keepalive |
| --- | --- | --- | --- | --- | --- | --- |
| instant | 0 | 0 | 0 | 0 | none | 0 |
| lan | 1 | 15 | 25 | 2 | alias 800, filter 1200, vlan 500, lagg 500, loopback 300, vxlan 500, vip 500, gif 500, gre 500, routes 400, unbound 1500, kea 800, dnsmasq 500, haproxy 700, haproxy_configtest 300 | 15 |
| wan | 40 | 15 | 25 | 2 | as lan | 15 |

Why these numbers (estimates from what each step does on a small appliance, not measurements):
- rtt: the network round trip, paid once per request and twice more when a connection opens (TCP
  handshake, TLS 1.3 handshake). 1 ms on a LAN, 40 ms to a firewall at another site.
- request: every API request starts a php-cgi run of api.php: the MVC bootstrap, parsing
  config.xml, and checking the API secret against its SHA-512 crypt hash (5000 rounds; created in
  ApiKeyField.php). These run in parallel (lighttpd starts up to 8 x 5 php-cgi children).
- write: Config::lock() reloads config.xml, then save() serialises the whole tree, rewrites the file
  and copies a backup, all under an exclusive flock (generic.md section 8), so writes serialise.
- item: a bulk endpoint (alias import, a CSV import, the whole-model set) validates every item it
  was given and saves once: `item` per item it validates, under the writer lock (the import holds
  Config::lock() from its start), and one `write` for the save. A one-object write's validation is
  part of its `request` and `write`.
- reloads: configd actions. The filter reload regenerates and loads the pf ruleset; alias
  reconfigure renders the filter templates and refreshes tables; Unbound is stopped and started;
  HAProxy renders its template, checks it (configtest) and reloads; VLANs and routes run the
  interface scripts, and so do LAGGs, VXLANs, virtual IPs (CARP included) and GIF/GRE tunnels
  (reconfigure_*.php, pluginctl -c vxlan); loopbacks only create and address lo<N> (pluginctl -c
  loopback). Kea renders its template and reloads (or starts) kea; Dnsmasq first reloads the
  filter (invokeFirewallReload(), the filter's time on top), then starts or reloads dnsmasq.
- keepalive: lighttpd's server.max-keep-alive-requests = 15 in the web GUI configuration
  (webgui.inc): the 15th request on a connection is answered with "Connection: close".
`instant` is for tests.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

RELOADS_LAN = {
    "alias": 800,
    "filter": 1200,
    "vlan": 500,
    "lagg": 500,
    "loopback": 300,
    "vxlan": 500,
    "vip": 500,
    "gif": 500,
    "gre": 500,
    "routes": 400,
    "unbound": 1500,
    "kea": 800,
    "dnsmasq": 500,
    "haproxy": 700,
    "haproxy_configtest": 300,
}

PROFILES: dict[str, dict[str, Any]] = {
    "instant": {"rtt_ms": 0, "request_ms": 0, "write_ms": 0, "item_ms": 0, "reload_ms": {}, "keepalive_requests": 0},
    "lan": {
        "rtt_ms": 1,
        "request_ms": 15,
        "write_ms": 25,
        "item_ms": 2,
        "reload_ms": dict(RELOADS_LAN),
        "keepalive_requests": 15,
    },
    "wan": {
        "rtt_ms": 40,
        "request_ms": 15,
        "write_ms": 25,
        "item_ms": 2,
        "reload_ms": dict(RELOADS_LAN),
        "keepalive_requests": 15,
    },
}
KEYS = ("rtt_ms", "request_ms", "write_ms", "item_ms", "reload_ms", "keepalive_requests")


@dataclass
class CostModel:
    rtt_ms: float = 0
    write_ms: float = 0
    reload_ms: dict[str, float] = field(default_factory=dict)
    profile: str = "instant"
    request_ms: float = 0
    keepalive_requests: int = 0
    item_ms: float = 0

    @classmethod
    def named(cls, profile: str) -> "CostModel":
        if profile not in PROFILES:
            raise ValueError(f"unknown profile {profile!r}; choose one of {', '.join(PROFILES)}")
        p = PROFILES[profile]
        return cls(
            rtt_ms=p["rtt_ms"],
            write_ms=p["write_ms"],
            reload_ms=dict(p["reload_ms"]),
            profile=profile,
            request_ms=p["request_ms"],
            keepalive_requests=p["keepalive_requests"],
            item_ms=p["item_ms"],
        )

    def use(self, profile: str) -> None:
        """Switch to a named profile in place (the server holds this object)."""
        named = CostModel.named(profile)
        for key in (*KEYS, "profile"):
            setattr(self, key, getattr(named, key))

    def update(self, data: dict[str, Any]) -> None:
        """Override single values: {"rtt_ms", "request_ms", "write_ms", "reload_ms": {subsystem: ms}, ...}."""
        unknown = set(data) - set(KEYS)
        if unknown:
            raise ValueError(f"unknown cost keys: {', '.join(sorted(unknown))}; known: {', '.join(KEYS)}")
        for key in ("rtt_ms", "request_ms", "write_ms", "item_ms"):
            if key in data:
                value = float(data[key])
                if value < 0:
                    raise ValueError(f"{key} must be >= 0")
                setattr(self, key, value)
        if "keepalive_requests" in data:
            self.keepalive_requests = int(data["keepalive_requests"])
        if "reload_ms" in data:
            if not isinstance(data["reload_ms"], dict):
                raise ValueError("reload_ms is an object {subsystem: ms}")
            self.reload_ms.update({str(k): float(v) for k, v in data["reload_ms"].items()})
        self.profile = "custom"

    def as_dict(self) -> dict[str, Any]:
        return {
            "profile": self.profile,
            "rtt_ms": self.rtt_ms,
            "request_ms": self.request_ms,
            "write_ms": self.write_ms,
            "item_ms": self.item_ms,
            "reload_ms": dict(self.reload_ms),
            "keepalive_requests": self.keepalive_requests,
        }

    def rtt_seconds(self) -> float:
        return self.rtt_ms / 1000.0

    def request_seconds(self) -> float:
        return self.request_ms / 1000.0

    def write_seconds(self) -> float:
        return self.write_ms / 1000.0

    def items_seconds(self, count: int) -> float:
        """What a bulk endpoint's validation of ``count`` items costs."""
        return self.item_ms * max(0, count) / 1000.0

    def pay_items(self, count: int) -> None:
        """Spend a bulk endpoint's validation time for ``count`` items (nothing at zero cost)."""
        seconds = self.items_seconds(count)
        if seconds > 0:
            time.sleep(seconds)

    def reload_seconds(self, subsystem: str) -> float:
        return self.reload_ms.get(subsystem, 0) / 1000.0
