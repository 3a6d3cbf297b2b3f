"""HAProxy service, /api/haproxy/service/ (haproxy.md section 2).

ServiceController.php extends ApiMutableServiceControllerBase (service "haproxy", enabled flag
general.enabled, reconfigureForceRestart() = 0) and adds `configtest`. What each action does to
the simulated process and to the running config is in runtime.py.
"""

from __future__ import annotations

import time
from typing import Any

from ...app import action
from ...core.controller import SERVICE_WIDGET, ServiceController
from . import runtime


class HAProxyServiceController(ServiceController):
    namespace = "HAProxy"
    name = "Service"
    subsystem = runtime.SUBSYSTEM
    service_name = "haproxy"
    enabled_model = "haproxy"
    enabled_path = "general.enabled"

    @action
    def configtest(self, *_: str) -> dict[str, Any]:
        """Any verb: template reload, then the raw `haproxy -c` output (exit code swallowed)."""
        time.sleep(self.app.costs.reload_seconds("haproxy_configtest"))
        return {"result": runtime.configtest(self.app).output}

    @action
    def reconfigure(self, *_: str) -> dict[str, Any]:
        """Always "ok" for a POST: a config that fails the check is simply not deployed (haproxy.md 2)."""
        return self.reconfigure_base(self.subsystem)

    @action
    def status(self, *_: str) -> dict[str, Any]:
        if runtime.runtime(self.app).running:
            state = "running"
        else:
            state = "stopped" if self.service_enabled() else "disabled"
        return {"status": state, "widget": dict(SERVICE_WIDGET)}

    def _run(self, verb: str) -> dict[str, Any]:
        """configd `haproxy start|stop|restart`: a script action, so its trimmed output is "OK"."""
        if not self.req.is_post:
            return {"response": []}
        if verb != "stop":
            time.sleep(self.app.costs.reload_seconds(runtime.SUBSYSTEM))
        getattr(runtime, verb)(self.app)
        return {"response": "OK"}

    @action
    def start(self, *_: str) -> dict[str, Any]:
        return self._run("start")

    @action
    def stop(self, *_: str) -> dict[str, Any]:
        return self._run("stop")

    @action
    def restart(self, *_: str) -> dict[str, Any]:
        return self._run("restart")


MODELS: list = []
CONTROLLERS = [HAProxyServiceController]
install = runtime.install
