"""Drift, as a scheduled job meets it: ``playbooks/apply.yml`` deploys to a simulated firewall,
someone changes a managed alias through the raw API (never the collection), ``playbooks/drift.yml``
fails naming the object and the field with the applied and the current value, ``apply.yml``
corrects exactly that field with one write, and ``drift.yml`` passes again."""

from __future__ import annotations

import json

from apply_helpers import api, writes
from e2e_helpers import needs_apply
from fleet_helpers import recap, run_playbook

pytestmark = needs_apply

RESOURCES = [
    {"type": "firewall_category", "name": "web", "properties": {"color": "00ff00"}},
    {"type": "firewall_alias", "name": "web_hosts", "properties": {"type": "host", "content": ["10.0.0.1"]}},
    {
        "type": "firewall_filter_rule",
        "name": "allow web",
        "properties": {"interface": ["lan"], "destination_net": ["web_hosts"], "categories": ["web"]},
    },
]


def inventory(project, sim):
    path = project.inventory({"fw1": sim})
    data = json.loads(path.read_text())
    group = data["all"]["children"]["firewalls"]
    group["vars"].update(opnform_deployment="web", opnform_resources=RESOURCES)
    path.write_text(json.dumps(data), encoding="utf-8")


def alias_uuid(sim, name):
    rows = api(sim, "GET", "firewall/alias/searchItem")["rows"]
    return next(r["uuid"] for r in rows if r["name"] == name)


def test_a_change_behind_ansibles_back_fails_the_drift_check_until_apply_corrects_it(project, sim):
    inventory(project, sim)
    assert run_playbook(project, "apply.yml").rc == 0
    assert run_playbook(project, "drift.yml").rc == 0

    uuid = alias_uuid(sim, "web_hosts")
    api(sim, "POST", "firewall/alias/setItem/" + uuid, {"alias": {"content": "10.0.0.9"}})
    sim.clear_log()

    drift = run_playbook(project, "drift.yml")
    assert drift.rc != 0 and recap(drift.lines)["fw1"]["failed"] == 1
    assert "deployment web: 1 managed object(s) changed outside Ansible" in drift.stdout
    assert "drift firewall_alias/web_hosts: content: applied ['10.0.0.1'], now ['10.0.0.9']" in drift.stdout
    assert writes(sim.log()) == []

    assert run_playbook(project, "apply.yml").rc == 0
    corrected = writes(sim.log())
    assert [e["path"] for e in corrected] == ["/api/firewall/alias/setItem/" + uuid]
    rows = api(sim, "GET", "firewall/alias/searchItem")["rows"]
    assert [r["content"] for r in rows if r["name"] == "web_hosts"] == ["10.0.0.1"]

    again = run_playbook(project, "drift.yml")
    assert again.rc == 0 and "deployment web: no drift" in again.stdout
