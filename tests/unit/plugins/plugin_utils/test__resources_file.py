"""resources_file: the resource list read by the action plugin from a JSON or YAML file."""

from __future__ import annotations

import json
from unittest.mock import MagicMock

import pytest

from ansible_collections.opnform.opnsense.plugins.module_utils._errors import OpnError
from ansible_collections.opnform.opnsense.plugins.plugin_utils._action import EngineAction
from ansible_collections.opnform.opnsense.plugins.plugin_utils._resources_file import read_resources_file

ITEMS = [
    {"type": "firewall_alias", "name": "web", "properties": {"type": "host", "content": ["192.0.2.1"]}},
    {"type": "firewall_filter_rule", "name": "allow web", "properties": {"destination_net": ["web"]}},
]


def test_json_and_yaml_give_the_same_list(tmp_path):
    (tmp_path / "r.json").write_text(json.dumps(ITEMS))
    (tmp_path / "r.yml").write_text(
        "- type: firewall_alias\n  name: web\n  properties: {type: host, content: [192.0.2.1]}\n"
        "- type: firewall_filter_rule\n  name: allow web\n  properties: {destination_net: [web]}\n"
    )
    assert read_resources_file(str(tmp_path / "r.json")) == ITEMS
    assert read_resources_file(str(tmp_path / "r.yml")) == ITEMS


def test_a_mapping_with_a_resources_key_is_a_vars_file_that_doubles_as_resources(tmp_path):
    (tmp_path / "vars.yaml").write_text(json.dumps({"resources": ITEMS}))
    assert read_resources_file(str(tmp_path / "vars.yaml")) == ITEMS


@pytest.mark.parametrize(
    "name, text, message",
    [
        ("bad.json", "[{", "is not valid JSON"),
        ("bad.yml", "- a: [", "is not valid YAML"),
        (
            "dict.yml",
            "type: firewall_alias",
            "must hold a list of resources or a mapping with a resources key, got dict",
        ),
        ("empty.yml", "", "got NoneType"),
    ],
)
def test_errors_name_the_file(tmp_path, name, text, message):
    path = tmp_path / name
    path.write_text(text)
    with pytest.raises(OpnError) as exc:
        read_resources_file(str(path))
    assert str(exc.value).startswith("resources_file %s " % path)
    assert message in str(exc.value)


def test_a_missing_file_is_named(tmp_path):
    with pytest.raises(OpnError, match=r"resources_file .*missing\.yml cannot be read: No such file"):
        read_resources_file(str(tmp_path / "missing.yml"))


def test_the_action_reads_the_file_relative_to_the_playbook(tmp_path):
    (tmp_path / "r.json").write_text(json.dumps(ITEMS))
    action = EngineAction.__new__(EngineAction)
    action._loader = MagicMock()
    action._loader.path_dwim.side_effect = lambda p: str(tmp_path / p)
    assert action.resources({"resources_file": "r.json", "resources": None}) == ITEMS
    assert action.resources({"resources": ITEMS[:1], "resources_file": None}) == ITEMS[:1]


def test_resources_and_resources_file_are_mutually_exclusive():
    assert ["resources", "resources_file"] in EngineAction.one_input["mutually_exclusive"]
