"""End-to-end fixtures: simulated firewalls and a temporary project (see ``e2e_helpers``)."""

from __future__ import annotations

import pytest
from e2e_helpers import Project


@pytest.fixture
def sim():
    opnsense_sim = pytest.importorskip("opnsense_sim")
    with opnsense_sim.Simulator(port=0, profile="instant") as simulator:
        yield simulator


@pytest.fixture
def sim2():
    opnsense_sim = pytest.importorskip("opnsense_sim")
    with opnsense_sim.Simulator(port=0, profile="instant") as simulator:
        yield simulator


@pytest.fixture
def project(tmp_path):
    return Project(tmp_path)
