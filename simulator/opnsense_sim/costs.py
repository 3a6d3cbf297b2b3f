"""The cost model: what a request, a config write and a service reload cost in wall time.

Profiles (milliseconds):

| profile | rtt | write (under the writer lock) | reloads |
| --- | --- | --- | --- |
| instant | 0 | 0 | 0 |
| lan | 2 | 20 | alias 400, filter 300, vlan 250, routes 150, unbound 500, haproxy 350 (+120 configtest) |
| wan | 60 | 20 | as lan |

Why these numbers: on a LAN a keep-alive HTTPS request to the firewall's lighttpd/PHP stack costs a
couple of milliseconds of network and TLS record overhead. A config write locks config.xml, reloads
it, serialises the whole tree, writes it and copies a backup (generic.md section 8): tens of
milliseconds on small appliances, so 20 ms. A reload runs configd scripts: the filter reload
regenerates and loads the pf ruleset (hundreds of ms), alias reconfigure also refreshes tables and
restarts cron, Unbound restarts (stop and start), HAProxy re-renders its template and reloads. WAN adds
a 60 ms round trip (a firewall at another site) and keeps the box-side costs. `instant` is for tests.
"""

from __future__ import annotations

from dataclasses import dataclass, field

RELOADS_LAN = {"alias": 400, "filter": 300, "vlan": 250, "routes": 150, "unbound": 500, "haproxy": 350, "haproxy_configtest": 120}

PROFILES: dict[str, dict[str, object]] = {
    "instant": {"rtt_ms": 0, "write_ms": 0, "reload_ms": {}},
    "lan": {"rtt_ms": 2, "write_ms": 20, "reload_ms": dict(RELOADS_LAN)},
    "wan": {"rtt_ms": 60, "write_ms": 20, "reload_ms": dict(RELOADS_LAN)},
}


@dataclass
class CostModel:
    rtt_ms: float = 0
    write_ms: float = 0
    reload_ms: dict[str, float] = field(default_factory=dict)
    profile: str = "instant"

    @classmethod
    def named(cls, profile: str) -> "CostModel":
        if profile not in PROFILES:
            raise ValueError(f"unknown profile {profile!r}; choose one of {', '.join(PROFILES)}")
        p = PROFILES[profile]
        return cls(rtt_ms=p["rtt_ms"], write_ms=p["write_ms"], reload_ms=dict(p["reload_ms"]), profile=profile)  # type: ignore[arg-type]

    def update(self, data: dict[str, object]) -> None:
        if "rtt_ms" in data:
            self.rtt_ms = float(data["rtt_ms"])  # type: ignore[arg-type]
        if "write_ms" in data:
            self.write_ms = float(data["write_ms"])  # type: ignore[arg-type]
        if isinstance(data.get("reload_ms"), dict):
            self.reload_ms.update({k: float(v) for k, v in data["reload_ms"].items()})  # type: ignore[union-attr]
        self.profile = "custom"

    def as_dict(self) -> dict[str, object]:
        return {"profile": self.profile, "rtt_ms": self.rtt_ms, "write_ms": self.write_ms, "reload_ms": dict(self.reload_ms)}

    def rtt_seconds(self) -> float:
        return self.rtt_ms / 1000.0

    def write_seconds(self) -> float:
        return self.write_ms / 1000.0

    def reload_seconds(self, subsystem: str) -> float:
        return self.reload_ms.get(subsystem, 0) / 1000.0
