"""``validate_certs: false`` under ansible-runner (what AWX runs): one honest warning, nothing on stderr.

ansible-core 2.19+ turns anything a worker writes straight to stderr into "errantly sent data"
warnings and job events; 2.16-2.18 hung on it (tests/smoke runs those versions).
"""

from __future__ import annotations

from e2e_helpers import job_events, needs_apply

RESOURCES = [
    {"type": "haproxy_server", "name": "t_srv", "properties": {"address": "192.0.2.30", "port": 80}},
    {"type": "haproxy_backend", "name": "t_pool", "properties": {"linked_servers": ["t_srv"]}},
    {"type": "firewall_alias", "name": "t_hosts", "properties": {"type": "host", "content": ["192.0.2.30"]}},
]


@needs_apply
def test_runner_job_events_show_one_tls_warning_and_no_stray_output(project, sim):
    project.inventory({"fw1": sim})
    project.playbook({"deployment": "tls", "resources": RESOURCES, "validate_certs": False})
    artifacts = project.runner_run()
    assert (artifacts / "rc").read_text().strip() == "0"
    events = job_events(artifacts)
    texts = [e.get("stdout", "") for e in events]
    tls = [e for e in events if "validate_certs is false" in e.get("stdout", "")]
    assert len(tls) == 1 and tls[0]["event"] == "runner_on_ok", tls  # shown with the task's result
    assert sim.url in " ".join(tls[0]["stdout"].split())
    assert not [t for t in texts if "errantly" in t or "InsecureRequestWarning" in t or "printed while" in t]
    result = tls[0]["event_data"]["res"]
    assert result["changed"] is True and len(result["warnings"]) == 1
    assert result["warnings"][0].startswith("validate_certs is false: the TLS certificate of")
    assert sorted(r["name"] for r in sim.state()["config"]["haproxy.server"].values()) == ["t_srv"]
