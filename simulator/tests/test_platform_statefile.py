"""`--state-file`: the configuration persisted as an OPNsense config.xml (configxml.py)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import requests
from _widgets import widgets_installed
from opnsense_sim import Simulator
from opnsense_sim.configxml import parse


def _client(sim):
    s = requests.Session()
    s.verify = sim.ca_file

    def call(method, path, **kw):
        return s.request(
            method, sim.url + path, auth=(sim.api_key, sim.api_secret), verify=sim.ca_file, timeout=10, **kw
        )

    return call


def test_every_save_rewrites_the_file_in_opnsense_format(tmp_path):
    path = tmp_path / "conf" / "config.xml"
    with widgets_installed():
        sim = Simulator(port=0, state_file=path).start()
    try:
        call = _client(sim)
        assert path.exists()  # written at start
        cat = call("POST", "/api/firewall/category/addItem", json={"category": {"name": "a & <b>"}}).json()["uuid"]
        w = call("POST", "/api/sim/widget/addItem", json={"widget": {"name": "w", "opts": {"level": "2"}}}).json()[
            "uuid"
        ]
        root = ET.parse(path).getroot()
        assert root.tag == "opnsense"
        model = root.find("OPNsense/Firewall/Category")
        assert model.get("version") == "1.0.0" and model.get("persisted_at")
        item = model.find(f"categories/category[@uuid='{cat}']")
        assert item.findtext("name") == "a & <b>"
        assert item.find("color").text is None  # empty value, empty element
        widget = root.find(f"OPNsense/Sim/Widgets/widgets/widget[@uuid='{w}']")
        assert widget.findtext("opts/level") == "2"  # nested containers are nested elements
        assert root.findtext("OPNsense/Sim/Widgets/general/enabled") == "0"
        assert root.findtext("revision/username") == "root@127.0.0.1"
        assert root.findtext("revision/description") == "/api/sim/widget/addItem made changes"
        assert root.findtext("system/hostname") == "OPNsense"
        assert not [p for p in path.parent.iterdir() if p.name != "config.xml"]  # no temp files left
    finally:
        sim.stop()


def test_restart_keeps_the_config_and_running_equals_config(tmp_path):
    path = tmp_path / "config.xml"
    with widgets_installed():
        sim = Simulator(port=0, state_file=path).start()
    call = _client(sim)
    cat = call("POST", "/api/firewall/category/addItem", json={"category": {"name": "web", "color": "ff0000"}}).json()[
        "uuid"
    ]
    call("POST", "/api/sim/widget/addItem", json={"widget": {"name": "w", "tags": "x,y"}})
    call("POST", "/api/sim/widget/set", json={"widgets": {"general": {"enabled": "1"}}})
    before = sim.state()
    assert before["pending"]
    sim.stop()
    with widgets_installed():
        sim = Simulator(port=0, state_file=path).start()
    try:
        after = sim.state()
        assert after["config"] == before["config"]
        assert after["settings"] == before["settings"]
        assert after["running"] == after["config"] and after["pending"] == []
        assert _client(sim)("GET", f"/api/firewall/category/getItem/{cat}").json()["category"]["color"] == "ff0000"
    finally:
        sim.stop()


def test_reset_overwrites_the_state_file(tmp_path):
    path = tmp_path / "config.xml"
    with Simulator(port=0, state_file=path) as sim:
        _client(sim)("POST", "/api/firewall/category/addItem", json={"category": {"name": "web"}})
        assert b"<name>web</name>" in path.read_bytes()
        sim.reset()
        assert b"<name>web</name>" not in path.read_bytes()


def test_unknown_parts_of_a_loaded_config_survive(tmp_path):
    """A real config.xml keeps the sections no simulated model owns."""
    path = tmp_path / "config.xml"
    path.write_text(
        """<?xml version="1.0"?>
<opnsense>
  <system><hostname>fw1</hostname><domain>example.org</domain><timezone>Etc/UTC</timezone></system>
  <sysctl><item><tunable>net.inet.ip.forwarding</tunable><value>1</value></item></sysctl>
  <OPNsense>
    <IDS version="1.0.9"><general><enabled>0</enabled></general></IDS>
    <Firewall>
      <Category version="1.0.0">
        <categories>
          <category uuid="5b0a9a1d-2a5b-4c3e-9a1f-0c1d2e3f4a5b"><name>kept</name><auto>0</auto><color/></category>
        </categories>
      </Category>
    </Firewall>
  </OPNsense>
  <revision><username>admin@10.0.0.9</username><description>imported</description><time>1700000000.00</time></revision>
</opnsense>
"""
    )
    with Simulator(port=0, state_file=path) as sim:
        call = _client(sim)
        rows = call("GET", "/api/firewall/category/searchItem").json()["rows"]
        assert [(r["uuid"], r["name"]) for r in rows] == [("5b0a9a1d-2a5b-4c3e-9a1f-0c1d2e3f4a5b", "kept")]
        assert sim.app.env.hostname == "fw1"
        first = call("GET", "/api/core/backup/backups/this").json()["items"][-1]
        assert (first["username"], first["description"], first["time"]) == (
            "admin@10.0.0.9",
            "imported",
            "1700000000.00",
        )
        call("POST", "/api/firewall/category/addItem", json={"category": {"name": "new"}})
    root = ET.parse(path).getroot()
    assert root.findtext("sysctl/item/tunable") == "net.inet.ip.forwarding"
    assert root.findtext("OPNsense/IDS/general/enabled") == "0"
    assert root.findtext("system/timezone") == "Etc/UTC"
    assert root.findtext("system/hostname") == "fw1"
    assert len(root.findall("OPNsense/Firewall/Category/categories/category")) == 2


def test_parse_round_trips_the_rendered_file(tmp_path):
    path = tmp_path / "config.xml"
    with Simulator(port=0, state_file=path) as sim:
        _client(sim)("POST", "/api/firewall/category/addItem", json={"category": {"name": "x\ny"}})
        loaded = parse(path.read_bytes(), sim.app.models)
        assert loaded.data["firewall.category"] == sim.state()["config"]["firewall.category"]


def test_cli_restart_with_state_file(tmp_path):
    """A subprocess `opnsense-sim --state-file` restarted on the same file serves the same objects."""
    path = tmp_path / "config.xml"

    def start():
        ready = tmp_path / f"ready-{time.monotonic_ns()}.json"
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "opnsense_sim.cli",
                "--port",
                "0",
                "--api-key",
                "k",
                "--api-secret",
                "s",
                "--state-file",
                str(path),
                "--ready-file",
                str(ready),
                "--workdir",
                str(tmp_path / "tls"),
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
        deadline = time.time() + 20
        while not (ready.exists() and ready.read_text()):
            assert proc.poll() is None and time.time() < deadline, (
                proc.stdout.read().decode() if proc.poll() is not None else "timeout"
            )
            time.sleep(0.05)
        return proc, json.loads(ready.read_text())

    proc, info = start()
    try:
        kw = {"auth": ("k", "s"), "verify": info["ca_file"], "timeout": 10}
        uuid = requests.post(
            info["url"] + "/api/firewall/category/addItem", json={"category": {"name": "persist"}}, **kw
        ).json()["uuid"]
    finally:
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=10) == 0
    proc, info = start()
    try:
        kw = {"auth": ("k", "s"), "verify": info["ca_file"], "timeout": 10}
        item = requests.get(info["url"] + f"/api/firewall/category/getItem/{uuid}", **kw).json()
        assert item == {"category": {"name": "persist", "auto": "0", "color": ""}}
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=10)
    assert Path(path).exists()
