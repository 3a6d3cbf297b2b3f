"""HAProxy service: configtest, reconfigure deploying only a checked config, status (haproxy.md 2, 5)."""

from __future__ import annotations

import re

BASE = "/api/haproxy/settings"
SERVICE = "/api/haproxy/service"
STAGING = "/usr/local/etc/haproxy.conf.staging"


def add(api, kind: str, body: dict) -> str:
    r = api.post(f"{BASE}/add{kind.capitalize()}", json={kind: body})
    assert r.json()["result"] == "saved", r.json()
    return r.json()["uuid"]


def configtest(api) -> str:
    r = api.post(f"{SERVICE}/configtest")
    assert r.status_code == 200
    return r.json()["result"]


def alerts(text: str) -> list[str]:
    """The ALERT messages without the "[ALERT]    (<pid>) : " prefix."""
    return [re.sub(r"^\[ALERT\] +\(\d+\) : ", "", line) for line in text.splitlines() if line.startswith("[ALERT]")]


def enable(api) -> None:
    assert api.post(f"{BASE}/set", json={"haproxy": {"general": {"enabled": "1"}}}).json() == {"result": "saved"}


def site(api, name: str = "web", bind: str = "0.0.0.0:80") -> dict[str, str]:
    server = add(api, "server", {"name": f"{name}1", "address": "10.0.0.1", "port": "80"})
    backend = add(api, "backend", {"name": f"{name}_pool", "linkedServers": server})
    frontend = add(api, "frontend", {"name": name, "bind": bind, "defaultBackend": backend})
    return {"server": server, "backend": backend, "frontend": frontend}


# -- configtest ---------------------------------------------------------------------------------------


def test_valid_config_prints_nothing(api):
    """haproxy.md 2 (UNVERIFIED there; haproxy source): haproxy >= 2.9 prints nothing for a valid file without -V,
    so the plugin's UI treats the empty result as "no errors"."""
    site(api)
    r = api.get(f"{SERVICE}/configtest")  # any verb
    assert r.json() == {"result": ""}


def test_factory_config_has_no_listener(api):
    """haproxy.md 2: raw haproxy output; with no enabled frontend haproxy reports there is no listener (exit 2)."""
    assert configtest(api) == "Configuration file has no error but will not start (no listener) => exit(2).\n"


def test_alert_output_format(api):
    """haproxy.md 2: the raw output; ALERT lines after the version NOTICEs, ending with the fatal summary."""
    parts = site(api)
    api.post(f"{BASE}/toggleBackend/{parts['backend']}")
    lines = configtest(api).splitlines()
    assert re.fullmatch(r"\[NOTICE\]   \(\d+\) : haproxy version is 3\.2\.\d+", lines[0])
    assert re.fullmatch(r"\[NOTICE\]   \(\d+\) : path to executable is /usr/local/sbin/haproxy", lines[1])
    assert re.fullmatch(
        r"\[ALERT\]    \(\d+\) : Proxy 'web': unable to find required default_backend: 'web_pool'\.", lines[2]
    )
    assert re.fullmatch(r"\[ALERT\]    \(\d+\) : Fatal errors found in configuration\.", lines[3])
    assert len(lines) == 4


def test_default_backend_pointing_at_a_disabled_backend(api):
    """haproxy.md 5: the template still writes default_backend while the disabled backend is left out."""
    parts = site(api)
    api.post(f"{BASE}/setBackend/{parts['backend']}", json={"backend": {"enabled": "0"}})
    assert "Proxy 'web': unable to find required default_backend: 'web_pool'." in alerts(configtest(api))


def test_use_backend_action_pointing_at_a_disabled_backend(api):
    """haproxy.md 3.4/5: a use_backend rule names the backend; a disabled one is missing from the file."""
    parts = site(api)
    other = add(api, "backend", {"name": "api_pool", "enabled": "0"})
    acl = add(api, "acl", {"name": "is api", "expression": "path_beg", "path_beg": "/api"})
    action = add(api, "action", {"name": "to api", "type": "use_backend", "use_backend": other, "linkedAcls": acl})
    api.post(f"{BASE}/setFrontend/{parts['frontend']}", json={"frontend": {"linkedActions": action}})
    assert alerts(configtest(api)) == [
        "Proxy 'web': unable to find required use_backend: 'api_pool'.",
        "Fatal errors found in configuration.",
    ]
    # a disabled action is not written at all
    api.post(f"{BASE}/toggleAction/{action}")
    assert configtest(api) == ""


def test_duplicate_frontend_names(api):
    """haproxy.md 5: duplicate frontend names become duplicate sections, a fatal parse error."""
    site(api, "web", "0.0.0.0:80")
    add(api, "frontend", {"name": "web", "bind": "0.0.0.0:8080"})
    found = alerts(configtest(api))
    assert re.fullmatch(
        rf"config : Parsing \[{STAGING}:\d+\]: frontend 'web' has the same name as frontend 'web' declared at {STAGING}:\d+\.",
        found[0],
    )
    assert found[1:] == [
        f"config : Error(s) found in configuration file : {STAGING}",
        "config : Fatal errors found in configuration.",
    ]


def test_duplicate_backend_names_only_count_when_enabled(api):
    """haproxy.md 5: duplicate backend names clash; a disabled duplicate is not written, so no clash."""
    site(api)
    twin = add(api, "backend", {"name": "web_pool", "enabled": "0"})
    assert configtest(api) == ""
    api.post(f"{BASE}/toggleBackend/{twin}")
    assert "has the same name as backend 'web_pool'" in alerts(configtest(api))[0]


def test_frontend_and_backend_may_share_a_name(api):
    """haproxy.md 5 (haproxy source): only proxies with a capability in common clash."""
    server = add(api, "server", {"name": "s1", "address": "10.0.0.1"})
    backend = add(api, "backend", {"name": "web", "linkedServers": server})
    add(api, "frontend", {"name": "web", "bind": "*:80", "defaultBackend": backend})
    assert configtest(api) == ""


def test_invalid_bind_addresses(api):
    """haproxy.md 3.3: the model mask lets through binds haproxy rejects (bad port, unresolvable name)."""
    parts = site(api, bind="0.0.0.0:99999")
    found = alerts(configtest(api))
    assert re.fullmatch(rf"config : parsing \[{STAGING}:\d+\] : 'bind' : invalid port '99999'", found[0])
    assert found[-1] == "config : Fatal errors found in configuration."
    api.post(f"{BASE}/setFrontend/{parts['frontend']}", json={"frontend": {"bind": "www.example.invalid:443"}})
    assert alerts(configtest(api))[0].endswith(
        "'bind' : invalid address: 'www.example.invalid' in 'www.example.invalid:443'"
    )
    api.post(f"{BASE}/setFrontend/{parts['frontend']}", json={"frontend": {"bind": "0.0.0.0:90-80"}})
    assert alerts(configtest(api))[0].endswith("'bind' : invalid port range '90-80'")
    api.post(
        f"{BASE}/setFrontend/{parts['frontend']}",
        json={"frontend": {"bind": "[::1]:443,www.example.com:8443,unix@sock"}},
    )
    assert configtest(api) == ""


def test_incompatible_modes(api):
    """haproxy source (haproxy.md 5 UNVERIFIED): an http frontend cannot use a tcp backend; tcp to http is fine."""
    parts = site(api)
    api.post(f"{BASE}/setBackend/{parts['backend']}", json={"backend": {"mode": "tcp"}})
    found = alerts(configtest(api))
    assert re.fullmatch(
        rf"http frontend 'web' \({STAGING}:\d+\) tries to use incompatible tcp backend 'web_pool' \({STAGING}:\d+\)"
        r" as its default backend \(see 'mode'\)\.",
        found[0],
    )
    api.post(f"{BASE}/setFrontend/{parts['frontend']}", json={"frontend": {"mode": "ssl"}})
    assert configtest(api) == ""


def test_duplicate_server_names_in_one_backend(api):
    """haproxy.md 5: duplicate server names within one backend end up as a haproxy error."""
    parts = site(api)
    twin = add(api, "server", {"name": "web1", "address": "10.0.0.2"})
    api.post(f"{BASE}/setBackend/{parts['backend']}", json={"backend": {"linkedServers": f"{parts['server']},{twin}"}})
    found = alerts(configtest(api))
    assert re.fullmatch(
        rf"parsing \[{STAGING}:(\d+)\] : backend 'web_pool', another server named 'web1' was already defined at line \d+, "
        r"please use distinct names\.",
        found[0],
    )
    api.post(f"{BASE}/toggleServer/{twin}")  # disabled servers are left out
    assert configtest(api) == ""


def test_use_backend_in_a_backend_is_a_warning(api):
    """haproxy.md 2: WARNING lines are minor errors; haproxy ignores use_backend in a backend section."""
    parts = site(api)
    other = add(api, "backend", {"name": "other_pool"})
    action = add(api, "action", {"name": "hop", "type": "use_backend", "use_backend": other})
    api.post(f"{BASE}/setBackend/{parts['backend']}", json={"backend": {"linkedActions": action}})
    text = configtest(api)
    assert "ALERT" not in text
    warning = next(line for line in text.splitlines() if line.startswith("[WARNING]"))
    assert warning.endswith("'use_backend' ignored because backend 'web_pool' has no frontend capability.")
    assert text.endswith("Warnings were found.\n")
    # the rule is still resolved: pointing it at its own backend is a loop
    api.post(f"{BASE}/setAction/{action}", json={"action": {"use_backend": parts["backend"]}})
    assert "Proxy 'web_pool': loop detected for use_backend: 'web_pool'." in alerts(configtest(api))


# -- reconfigure and the running config ---------------------------------------------------------------------


def test_reconfigure_needs_post(api):
    """haproxy.md 2: reconfigure is POST only, else {"status":"failed"}."""
    assert api.get(f"{SERVICE}/reconfigure").json() == {"status": "failed"}


def test_good_config_goes_live(api, sim):
    """haproxy.md 2: with general.enabled=1, reconfigure starts haproxy and deploys the checked config."""
    parts = site(api)
    enable(api)
    assert api.post(f"{SERVICE}/reconfigure").json() == {"status": "ok"}
    state = sim.state()
    assert parts["frontend"] in state["running"]["haproxy.frontend"]
    assert not [p for p in state["pending"] if p.startswith("haproxy.")]
    assert api.get(f"{SERVICE}/status").json()["status"] == "running"


def test_broken_config_is_not_deployed(api, sim):
    """haproxy.md 2: reconfigure still answers ok, but setup.sh deploy only copies a config that passes
    haproxy -c, so haproxy keeps the previous config and the change stays pending."""
    parts = site(api)
    enable(api)
    api.post(f"{SERVICE}/reconfigure")
    api.post(f"{BASE}/setBackend/{parts['backend']}", json={"backend": {"enabled": "0"}})
    assert "ALERT" in configtest(api)
    assert api.post(f"{SERVICE}/reconfigure").json() == {"status": "ok"}
    state = sim.state()
    assert state["running"]["haproxy.backend"][parts["backend"]]["enabled"] == "1"
    assert state["config"]["haproxy.backend"][parts["backend"]]["enabled"] == "0"
    assert "haproxy.backend" in state["pending"]
    assert api.get(f"{SERVICE}/status").json()["status"] == "running"  # still serving the old config
    # fixing the config and reconfiguring deploys it
    api.post(f"{BASE}/setBackend/{parts['backend']}", json={"backend": {"enabled": "1", "description": "fixed"}})
    api.post(f"{SERVICE}/reconfigure")
    assert sim.state()["running"]["haproxy.backend"][parts["backend"]]["description"] == "fixed"
    assert "haproxy.backend" not in sim.state()["pending"]


def test_first_start_with_a_broken_config_does_not_run(api, sim):
    """haproxy.md 2: start deploys only a checked config; with none deployed yet haproxy cannot start."""
    parts = site(api)
    api.post(f"{BASE}/setBackend/{parts['backend']}", json={"backend": {"enabled": "0"}})
    enable(api)
    api.post(f"{SERVICE}/reconfigure")
    assert api.get(f"{SERVICE}/status").json()["status"] == "stopped"
    assert sim.state()["running"]["haproxy.frontend"] == {}


def test_disabled_service_is_stopped_and_nothing_is_deployed(api, sim):
    """haproxy.md 2: with general.enabled != 1 reconfigure only stops haproxy; setup.sh deploy does not run."""
    parts = site(api)
    enable(api)
    api.post(f"{SERVICE}/reconfigure")
    assert api.post(f"{BASE}/set", json={"haproxy": {"general": {"enabled": "0"}}}).json() == {"result": "saved"}
    api.post(f"{BASE}/setServer/{parts['server']}", json={"server": {"port": "8080"}})
    api.post(f"{SERVICE}/reconfigure")
    assert api.get(f"{SERVICE}/status").json()["status"] == "disabled"
    assert sim.state()["running"]["haproxy.server"][parts["server"]]["port"] == "80"
    assert "haproxy.server" in sim.state()["pending"]


def test_status_reply(api):
    """haproxy.md 2: status is running/stopped/disabled with the base class's widget captions."""
    assert api.get(f"{SERVICE}/status").json() == {
        "status": "disabled",
        "widget": {"caption_restart": "Restart", "caption_start": "Start", "caption_stop": "Stop"},
    }
    enable(api)
    assert api.get(f"{SERVICE}/status").json()["status"] == "stopped"


def test_start_stop_restart(api, sim):
    """haproxy.md 2: start/stop/restart are POST only and answer the configd output."""
    site(api)
    enable(api)
    assert api.get(f"{SERVICE}/start").json() == {"response": []}
    configtest(api)  # renders rc.conf.d with haproxy_enable=YES
    assert api.post(f"{SERVICE}/start").json() == {"response": "OK"}
    assert api.get(f"{SERVICE}/status").json()["status"] == "running"
    assert not [p for p in sim.state()["pending"] if p.startswith("haproxy.")]
    assert api.post(f"{SERVICE}/stop").json() == {"response": "OK"}
    assert api.get(f"{SERVICE}/status").json()["status"] == "stopped"
    assert api.post(f"{SERVICE}/restart").json() == {"response": "OK"}
    assert api.get(f"{SERVICE}/status").json()["status"] == "running"


def test_configtest_does_not_deploy(api, sim):
    """haproxy.md 2: configtest only renders the staging file and checks it."""
    parts = site(api)
    enable(api)
    assert configtest(api) == ""
    assert parts["frontend"] not in sim.state()["running"]["haproxy.frontend"]
    assert "haproxy.frontend" in sim.state()["pending"]


def test_enabled_without_listener_is_not_deployed(api, sim):
    """haproxy.md 2: setup.sh deploys only when `haproxy -c` exits 0; a config without any enabled
    frontend exits 2 ("no listener"), so nothing is deployed and haproxy does not start."""
    add(api, "server", {"name": "web1", "address": "10.0.0.1"})
    enable(api)
    assert api.post(f"{SERVICE}/reconfigure").json() == {"status": "ok"}
    assert api.get(f"{SERVICE}/status").json()["status"] == "stopped"
    assert "haproxy.server" in sim.state()["pending"]
