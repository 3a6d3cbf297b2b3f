"""The simulated haproxy process and its deployed configuration (haproxy.md 2).

`running` in the simulator's state is what /usr/local/etc/haproxy.conf holds. Only `setup.sh
deploy` changes that file, and only when `haproxy -c` on the staging file passes (exit 0; "no
listener" exits 2 and does not deploy either). Deploy runs as part of configd `haproxy start`,
`reload` and `restart`, never on `stop` and never from `configtest`. So:
- reconfigure with general.enabled=1: start (if not running) or reload, both deploying; a broken
  config leaves the old one running and the haproxy models stay in `pending`;
- reconfigure with general.enabled=0: stop only; nothing is deployed, `pending` stays;
- start/restart: deploy, then the rc script starts haproxy if /etc/rc.conf.d/haproxy (rendered by
  the last template reload, i.e. the last configtest or reconfigure) enables it and a deployed
  config exists;
- status: "running" while the process runs, else "stopped" or "disabled" per general.enabled.
"""

from __future__ import annotations

import itertools
import threading
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .configcheck import CheckResult, check

if TYPE_CHECKING:
    from ...app import App

SUBSYSTEM = "haproxy"


@dataclass
class Runtime:
    running: bool = False  # the haproxy process
    deployed: bool = False  # /usr/local/etc/haproxy.conf holds a config that passed the check
    rc_enabled: bool = False  # haproxy_enable=YES in /etc/rc.conf.d/haproxy
    pids: itertools.count = field(default_factory=lambda: itertools.count(40001))
    lock: threading.RLock = field(default_factory=threading.RLock)  # one configd action at a time


def runtime(app: "App") -> Runtime:
    """The process state, booted on first use from the config the box started with (factory or a
    loaded config.xml): haproxy runs at boot when that config enables it and passes the check."""
    rt = app.extra.get(SUBSYSTEM)
    if rt is None:
        with app.store.lock:
            rt = app.extra.get(SUBSYSTEM)
            if rt is None:
                rt = Runtime()
                boot = app.store.running_view()
                if boot.setting("haproxy", "general.enabled", "0") == "1" and check(boot, next(rt.pids)).ok:
                    rt.running = rt.deployed = rt.rc_enabled = True
                app.extra[SUBSYSTEM] = rt
    return rt


def enabled(app: "App") -> bool:
    return app.store.view().setting("haproxy", "general.enabled", "0") == "1"


def template_reload(app: "App") -> None:
    """`template reload OPNsense/HAProxy` writes the staging file and rc.conf.d/haproxy."""
    runtime(app).rc_enabled = enabled(app)


def configtest(app: "App") -> CheckResult:
    template_reload(app)
    return check(app.store.view(), next(runtime(app).pids))


def deploy(app: "App") -> bool:
    """setup.sh deploy: the checked staging file becomes the running config, or nothing happens."""
    store = app.store
    with store.lock:
        result = check(store.view(), next(runtime(app).pids))
        if result.ok:
            store.reload(SUBSYSTEM)
            runtime(app).deployed = True
    return result.ok


def start(app: "App") -> None:
    rt = runtime(app)
    with rt.lock:
        deploy(app)
        if rt.rc_enabled and rt.deployed:
            rt.running = True


def stop(app: "App") -> None:
    rt = runtime(app)
    with rt.lock:
        rt.running = False


def restart(app: "App") -> None:
    rt = runtime(app)
    with rt.lock:
        deploy(app)
        if rt.rc_enabled:
            rt.running = rt.deployed


def reconfigure(app: "App") -> None:
    """ApiMutableServiceControllerBase::reconfigureAction with reconfigureForceRestart() = 0."""
    rt = runtime(app)
    with rt.lock:
        is_enabled = enabled(app)
        if not is_enabled:
            stop(app)
        template_reload(app)
        if is_enabled:
            if rt.running:
                deploy(app)  # reload: haproxy re-reads whatever haproxy.conf now holds
            else:
                start(app)


def install(app: "App") -> None:
    app.reloaders[SUBSYSTEM] = lambda: reconfigure(app)
