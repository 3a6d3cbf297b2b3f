"""Writers are serialised as in 26.7; `--unsafe-concurrent-writes` loses updates like releases
before 25.1.2 did (generic.md section 8; opnsense/core issues 1251 and 7954)."""

from __future__ import annotations

import threading

import pytest
import requests
from opnsense_sim import Simulator


def parallel_posts(sim, count: int, path_of, body_of) -> list[dict]:
    """``count`` POSTs at once, each on its own connection: request ``i`` to ``path_of(i)`` with
    ``body_of(i)``; their answers."""
    barrier = threading.Barrier(count)
    answers: list[dict] = []
    lock = threading.Lock()

    def worker(i: int) -> None:
        session = requests.Session()
        barrier.wait()
        r = session.post(
            sim.url + path_of(i),
            json=body_of(i),
            auth=(sim.api_key, sim.api_secret),
            verify=sim.ca_file,
            timeout=30,
        )
        with lock:
            answers.append(r.json())

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return answers


def parallel_adds(sim, count: int, prefix: str = "c") -> list[str]:
    answers = parallel_posts(
        sim, count, lambda i: "/api/firewall/category/addItem", lambda i: {"category": {"name": f"{prefix}{i}"}}
    )
    return [a["result"] for a in answers]


def test_parallel_adds_all_survive(sim):
    """26.7 locks config.xml and reloads it before each change: no write is lost."""
    sim.set_profile(write_ms=10)
    results = parallel_adds(sim, 16)
    assert results == ["saved"] * 16
    names = {i["name"] for i in sim.state()["config"]["firewall.category"].values()}
    assert names == {f"c{i}" for i in range(16)}


def test_parallel_writes_serialise_under_the_writer_lock(sim):
    """Each write holds the lock for write_ms, so N parallel writes span at least N x write_ms."""
    sim.set_profile(write_ms=150)
    sim.clear_log()
    parallel_adds(sim, 2)
    entries = [e for e in sim.log() if e["path"].endswith("/addItem")]
    assert len(entries) == 2
    assert max(e["end"] for e in entries) - min(e["start"] for e in entries) >= 0.3


@pytest.fixture(scope="module")
def unsafe_sim():
    with Simulator(port=0, unsafe_concurrent_writes=True) as sim:
        yield sim


def test_unsafe_concurrent_writes_lose_updates(unsafe_sim):
    """Every writer rewrites the whole config it read at request start: parallel adds overwrite each other."""
    unsafe_sim.reset()
    unsafe_sim.set_profile(write_ms=200)
    results = parallel_adds(unsafe_sim, 8)
    assert results == ["saved"] * 8  # every client was told "saved"
    survivors = unsafe_sim.state()["config"]["firewall.category"]
    assert 1 <= len(survivors) < 8


def test_unsafe_sequential_writes_are_fine(unsafe_sim):
    unsafe_sim.reset()
    unsafe_sim.set_profile("instant")
    for i in range(3):
        assert parallel_adds(unsafe_sim, 1, prefix=f"s{i}-") == ["saved"]
    assert len(unsafe_sim.state()["config"]["firewall.category"]) == 3


def parallel_vlan_creates(sim, count: int) -> list[dict]:
    """``count`` VLAN creates at once, each ``setItem`` under a new uuid, leaving the device name to
    the server."""
    return parallel_posts(
        sim,
        count,
        lambda i: "/api/interfaces/vlan_settings/setItem/%08d-0000-4000-8000-000000000000" % i,
        lambda i: {"vlan": {"if": "igb1", "tag": str(100 + i)}},
    )


def test_parallel_vlan_creates_get_distinct_device_names(sim):
    """VlanSettingsController::setItemAction locks before it derives the device name (26.1.8, 26.7):
    creates at once never pick the same name."""
    sim.set_profile(write_ms=20, request_ms=20)
    answers = parallel_vlan_creates(sim, 6)
    assert [a["result"] for a in answers] == ["saved"] * 6
    devices = [v["vlanif"] for v in sim.state()["config"]["interfaces.vlan"].values()]
    assert sorted(devices) == ["vlan0%d" % n for n in range(1, 7)]
