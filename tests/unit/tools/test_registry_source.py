"""The registry's import table and the dependency order, on a fixture registry."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
import registry_source as source


def test_spec_names_are_the_public_spec_files_in_order(tmp_path):
    for name in ("zoo_keeper.py", "aquarium_tank.py", "_shared.py", "__init__.py", "notes.txt"):
        (tmp_path / name).write_text("")
    assert source.spec_names(tmp_path) == ["aquarium_tank", "zoo_keeper"]


def test_table_imports_every_spec_by_name(fixture_registry):
    text = source.table_source(reversed(list(fixture_registry)))
    tree = ast.parse(text)
    modules = [node.module for node in tree.body if isinstance(node, ast.ImportFrom)]
    assert [module.rsplit(".", 1)[1] for module in modules if ".specs." in module] == sorted(fixture_registry)
    assert '    "zoo_keeper": ZOO_KEEPER,\n' in text
    assert "SPECS: Dict[str, ResourceSpec] = {}\n" in source.table_source([])


def test_the_registry_is_every_spec_file():
    from ansible_collections.opnform.opnsense.plugins.module_utils._registry import REGISTRY

    names = source.spec_names(Path(__file__).resolve().parents[3] / source.SPECS_PATH)
    assert names == list(REGISTRY)
    assert list(source.load_registry(names).values()) == list(REGISTRY.values())


def test_dependency_order_puts_dependencies_first_and_ties_alphabetical(fixture_registry):
    deps = dict((name, spec.dependencies) for name, spec in fixture_registry.items())
    assert source.dependency_order(deps) == ["aquarium_tank", "zoo_keeper", "zoo_animal", "zoo_enclosure"]
    deps["zoo_keeper"] = ("zoo_keeper", "unknown_type")  # no constraint
    assert source.dependency_order(deps)[:2] == ["aquarium_tank", "zoo_keeper"]


def test_dependency_cycle_is_named(fixture_registry):
    deps = dict((name, spec.dependencies) for name, spec in fixture_registry.items())
    deps["zoo_keeper"] = ("zoo_enclosure",)
    with pytest.raises(SystemExit, match="cycle: zoo_"):
        source.dependency_order(deps)
