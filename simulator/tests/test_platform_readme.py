"""The README's endpoint list is generated from the route table (opnsense_sim/routes.py)."""

from __future__ import annotations

from opnsense_sim import routes


def test_readme_endpoint_list_is_up_to_date():
    section = routes.readme_section(routes.README.read_text())
    assert section is not None, "simulator/README.md lost its generated-routes markers"
    assert section == routes.markdown(), "run: .venv/bin/python -m opnsense_sim.routes --write-readme"


def test_every_controller_is_listed():
    listed = routes.markdown()
    for base, actions, _module, _catch_all in routes.endpoints():
        assert f"`{base}`" in listed
        assert actions, f"{base} has no actions"


def test_snake_case_names():
    assert routes.snake("searchHostOverride") == "search_host_override"
    assert routes.snake("VlanSettings") == "vlan_settings"
    assert routes.snake("searchroute") == "searchroute"
