"""The control API under /__sim__/ (loopback only, no auth): reset, state, faults, log, profile."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from .environment import SUPPORTED_VERSIONS
from .http import Request, Response

if TYPE_CHECKING:
    from .server import Simulator


class Control:
    def __init__(self, sim: "Simulator") -> None:
        self.sim = sim

    def state(self) -> dict[str, Any]:
        app = self.sim.app
        out = app.store.state()
        out["version"] = app.env.product_version
        out["series"] = app.env.version
        out["profile"] = self.sim.costs.as_dict()
        out["unsafe_concurrent_writes"] = self.sim.unsafe
        for hook in app.extra.get("state_hooks", []):
            hook(out)
        return out

    def reset(self, version: str | None = None) -> None:
        version = version or self.sim.app.env.version
        if version not in SUPPORTED_VERSIONS:
            raise ValueError(f"unsupported OPNsense version {version!r}")
        # With a state file, the factory state also overwrites the file (a restart stays reset).
        self.sim.app = self.sim._new_app(version, load_state=False)
        self.sim.faults.clear()
        self.sim.requests.clear()

    def profile(self, data: dict[str, Any]) -> None:
        """POST /__sim__/profile: {"profile": name} and/or single values (rtt_ms, write_ms, reload_ms, ...)."""
        if not isinstance(data, dict):
            raise ValueError("body must be a JSON object")
        if data.get("profile"):
            self.sim.costs.use(str(data["profile"]))
        values = {k: v for k, v in data.items() if k != "profile"}
        if values:
            self.sim.costs.update(values)

    def handle(self, req: Request) -> Response:
        try:
            body = json.loads(req.body) if req.body.strip() else {}
            if not isinstance(body, dict):
                raise ValueError
        except ValueError:
            return Response.plain({"error": "body is not JSON"}, status=400)
        route = (req.method, req.path.rstrip("/"))
        try:
            if route == ("POST", "/__sim__/reset"):
                self.reset(body.get("opnsense_version") or None)
                return Response.plain({"status": "ok", "version": self.sim.app.env.product_version})
            if route == ("GET", "/__sim__/state"):
                return Response.plain(self.state())
            if route == ("POST", "/__sim__/faults"):
                self.sim.faults.add(body.get("rules", []))
                return Response.plain({"status": "ok", "rules": self.sim.faults.as_list()})
            if route == ("GET", "/__sim__/faults"):
                return Response.plain({"rules": self.sim.faults.as_list()})
            if route == ("DELETE", "/__sim__/faults"):
                self.sim.faults.clear()
                return Response.plain({"status": "ok"})
            if route == ("GET", "/__sim__/log"):
                return Response.plain({"requests": self.sim.requests.list()})
            if route == ("DELETE", "/__sim__/log"):
                self.sim.requests.clear()
                return Response.plain({"status": "ok"})
            if route == ("POST", "/__sim__/profile"):
                self.profile(body)
                return Response.plain({"status": "ok", "profile": self.sim.costs.as_dict()})
            if route == ("GET", "/__sim__/profile"):
                return Response.plain(self.sim.costs.as_dict())
        except (ValueError, TypeError) as exc:
            return Response.plain({"error": str(exc)}, status=400)
        return Response.plain({"error": f"unknown control endpoint {req.method} {req.path}"}, status=404)
