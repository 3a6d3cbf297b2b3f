"""Models as data: the XML-to-data tool, the loader, and the checked-in model files.

`fixtures/model_xml/Sample.xml` is a hand-made model in the upstream format; `Sample.json` is
the tool's output for it, reviewed like the services' model files.
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest
from opnsense_sim.core import fields
from opnsense_sim.core.modeldata import FIELD_TYPES, FieldType, ModelDataError, load_model, read_model_data
from opnsense_sim.services import catalogue

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).with_name("fixtures") / "model_xml"
SAMPLE_XML = FIXTURES / "Sample.xml"
SAMPLE_JSON = FIXTURES / "Sample.json"
MODEL_FILES = sorted((ROOT / "opnsense_sim" / "services").glob("*/*.json"))
SAMPLE_ARGS = ["--source", "OPNsense.Sample.Sample", "--key-prefix", "sample"]
SAMPLE_UPSTREAM = "hand-made fixture in the style of opnsense/core models"


def _tool():
    spec = importlib.util.spec_from_file_location("model_from_xml", ROOT / "tools" / "model_from_xml.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


tool = _tool()


def convert_sample(**kw) -> dict:
    return tool.convert(SAMPLE_XML.read_text(), "OPNsense.Sample.Sample", "sample", **kw)


@pytest.fixture
def volatile_note(monkeypatch):
    """The fixture's `.\\VolatileNote`, a model-specific type, registered as a plain TextField."""
    monkeypatch.setitem(FIELD_TYPES, "VolatileNote", FieldType(fields.TextField))


def write(tmp_path: Path, data: dict) -> Path:
    path = tmp_path / "Model.json"
    path.write_text(json.dumps(data))
    return path


# -- the tool ---------------------------------------------------------------------------------------


def test_tool_reads_model_header_and_layout():
    data = convert_sample()
    assert data["source"] == "OPNsense.Sample.Sample"
    assert data["mount"] == "//OPNsense/Sample"
    assert data["version"] == "1.2.3"
    assert data["description"] == "Sample model for the model data tests"  # white space collapsed
    assert [(i["path"], i["key"], i["type"]) for i in data["items"]] == [("things.thing", "sample.thing", "ArrayField")]
    # Leaves outside ArrayFields are settings, keyed by dotted path, in XML order.
    assert list(data["settings"]) == ["general.enabled", "general.tuning.retries", "maintenance.contact"]


def test_tool_reads_field_types_and_constraints():
    thing = convert_sample()["items"][0]["fields"]
    assert list(thing) == ["name", "color", "count", "parent", "servers", "network", "shadow", "descr"]
    assert thing["name"] == {
        "type": "TextField",
        "Required": "Y",
        "Mask": "/^[a-z0-9_]{1,32}$/u",
        "ValidationMessage": "Should be a string between 1 and 32 characters.",
        "MinimumValue": "1",
    }  # Constraints are left to the hand-written validate hooks
    color = thing["color"]
    assert (color["Default"], color["BlankDesc"]) == ("x2", "No colour")
    # Keys from the tag or the value attribute, in XML order; children make an optgroup.
    assert list(color["OptionValues"].items()) == [
        ("x2", "red"),
        ("x1", "green"),
        ("802.1q", ""),
        ("warm", {"orange": "Orange", "yellow": "Yellow"}),
    ]
    assert thing["count"] == {"type": "IntegerField", "MinimumValue": "1", "MaximumValue": "4094", "Required": "Y"}
    assert thing["parent"]["Model"]["template"] == {
        "source": "OPNsense.Sample.Sample",
        "items": "things.thing",
        "display": "name,count",
        "display_format": "%s (%s)",
        "filters": {"name": "/^p/"},
    }
    assert thing["shadow"] == {"type": "VolatileNote", "volatile": "true"}  # `.\` dropped, attribute kept
    assert convert_sample()["settings"]["maintenance.contact"] == {"type": "EmailField"}  # namespace dropped


def test_tool_keys_select_and_upstream():
    data = convert_sample(keys={"things.thing": "other.key"}, select=["things.thing.name", "general.enabled"])
    assert data["items"][0]["key"] == "other.key"
    assert list(data["items"][0]["fields"]) == ["name"]
    assert list(data["settings"]) == ["general.enabled"]
    assert convert_sample(upstream="somewhere")["upstream"] == "somewhere"


def test_tool_output_is_the_checked_in_fixture(tmp_path):
    out = tmp_path / "Sample.json"
    assert tool.main([str(SAMPLE_XML), *SAMPLE_ARGS, "--upstream", SAMPLE_UPSTREAM, "-o", str(out)]) == 0
    assert out.read_text() == SAMPLE_JSON.read_text()
    assert json.loads(out.read_text()) == convert_sample(upstream=SAMPLE_UPSTREAM)


# -- the loader -------------------------------------------------------------------------------------


def test_loader_builds_fields_from_the_tools_output(tmp_path, volatile_note):
    model = load_model(write(tmp_path, convert_sample()), name="sample", subsystem="sample", title="Sample")
    assert (model.mount, model.version, model.description) == (
        "OPNsense/Sample",
        "1.2.3",
        "Sample model for the model data tests",
    )
    thing = model.item("things.thing")
    f = thing.fields
    # `name` also has a MinimumValue: TextField has no setter for it, so it is inert, not refused.
    assert f["name"].required and f["name"].mask.validates("ab_1") and not f["name"].mask.validates("A b")
    assert f["name"].msg == "Should be a string between 1 and 32 characters."
    assert f["color"].default == "x2" and f["color"].blank_desc == "No colour" and not f["color"].required
    assert list(f["color"].choices.items()) == [
        ("x2", "red"),
        ("x1", "green"),
        ("802.1q", "802.1q"),  # an empty label shows the key
        ("orange", ("Orange", "warm")),
        ("yellow", ("Yellow", "warm")),
    ]
    assert (f["count"].minimum, f["count"].maximum, f["count"].required) == (1, 4094, True)
    parent = f["parent"]
    assert isinstance(parent, fields.ModelRelationField)
    assert parent.target == "sample.thing"  # resolved from source and items to the state key
    assert (parent.label, parent.display_format, parent.multiple, parent.sorted_values) == (
        ("name", "count"),
        "%s (%s)",
        True,
        True,
    )
    assert parent.qualifies({"name": "pa"}) and not parent.qualifies({"name": "x"})
    assert f["servers"].per_item and f["servers"].lower and f["servers"].store("A.B") == "a.b"
    assert f["network"].mask_required and f["network"].family == "ipv4"
    assert f["shadow"].volatile and "shadow" not in thing.blank()
    assert isinstance(f["descr"], fields.DescriptionField)
    assert model.settings["general.tuning.retries"].default == "3"
    assert model.settings["general.enabled"].required
    assert isinstance(model.settings["maintenance.contact"], fields.EmailField)


def test_loader_matches_elements_case_insensitively(tmp_path, volatile_note):
    data = convert_sample()
    data["items"][0]["fields"]["descr"]["required"] = "y"  # setRequired(), as PHP finds it
    model = load_model(write(tmp_path, data), name="sample", subsystem=None)
    assert model.item("things.thing").fields["descr"].required


def test_loader_rejects_an_unknown_field_type(tmp_path):
    # VolatileNote is not registered here: the loader names the model and the field.
    with pytest.raises(
        ModelDataError,
        match=r"model OPNsense\.Sample\.Sample, field things\.thing\.shadow: unknown field type 'VolatileNote'",
    ):
        load_model(write(tmp_path, convert_sample()), name="sample", subsystem=None)


def test_loader_rejects_an_element_the_type_does_not_implement(tmp_path, volatile_note):
    data = convert_sample()
    data["items"][0]["fields"]["count"]["Frobnicate"] = "Y"
    with pytest.raises(
        ModelDataError, match=r"field things\.thing\.count: IntegerField does not understand 'Frobnicate'"
    ):
        load_model(write(tmp_path, data), name="sample", subsystem=None)


def test_loader_rejects_a_relation_template_without_display(tmp_path, volatile_note):
    data = convert_sample()
    del data["items"][0]["fields"]["parent"]["Model"]["template"]["display"]
    with pytest.raises(
        ModelDataError, match=r"field things\.thing\.parent: a Model template needs source, items and display"
    ):
        load_model(write(tmp_path, data), name="sample", subsystem=None)


def test_loader_rejects_an_unknown_relation_target(tmp_path, volatile_note):
    data = convert_sample()
    data["items"][0]["fields"]["parent"]["Model"]["template"]["source"] = "OPNsense.Nowhere.Nowhere"
    with pytest.raises(ModelDataError, match=r"field things\.thing\.parent: unknown relation target OPNsense\.Nowhere"):
        load_model(write(tmp_path, data), name="sample", subsystem=None)


def test_loader_takes_several_relation_templates_only_over_unsimulated_models(tmp_path, volatile_note):
    data = convert_sample()
    templates = data["items"][0]["fields"]["parent"]["Model"]
    templates["other"] = {"source": "OPNsense.Sample.Sample", "items": "things.thing", "display": "name"}
    with pytest.raises(ModelDataError, match=r"field things\.thing\.parent: a relation over several simulated"):
        load_model(write(tmp_path, data), name="sample", subsystem=None)
    shaper = {"source": "OPNsense.TrafficShaper.TrafficShaper", "display": "description"}
    templates.clear()
    templates.update({"pipes": {**shaper, "items": "pipes.pipe"}, "queues": {**shaper, "items": "queues.queue"}})
    model = load_model(write(tmp_path, data), name="sample", subsystem=None)
    assert model.item("things.thing").fields["parent"].target == "trafficshaper.pipe"  # no items: none of either


def test_relations_onto_aliases_use_the_registered_class():
    from opnsense_sim.services.firewall import fieldtypes, filter_model

    assert isinstance(filter_model.FIELDS["overload"], fieldtypes.AliasRelationField)
    assert filter_model.FIELDS["overload"].target == "firewall.alias"
    assert type(filter_model.FIELDS["categories"]) is fields.ModelRelationField


# -- the checked-in model files ---------------------------------------------------------------------


def test_model_files_exist():
    names = {p.name for p in MODEL_FILES}
    assert {
        "Vlan.json",
        "Alias.json",
        "Category.json",
        "Gateways.json",
        "Route.json",
        "Unbound.json",
        "HAProxy.json",
    } <= names


@pytest.mark.parametrize("path", MODEL_FILES, ids=lambda p: p.name)
def test_every_model_file_loads_and_is_in_the_tools_layout(path):
    catalogue.models()  # the services register their own field types
    data = read_model_data(path)
    model = load_model(path, name="check", subsystem=None)
    assert [it.path for it in model.items] == [it["path"] for it in data["items"]]
    assert list(model.settings) == list(data["settings"])
    assert data["upstream"], "a model file says where its XML came from"
    # What the tool writes, byte for byte: regenerating it gives a clean diff.
    assert tool.dumps(data) == path.read_text(encoding="utf-8")


@pytest.mark.parametrize("path", MODEL_FILES, ids=lambda p: p.name)
def test_every_model_file_is_what_a_service_runs(path):
    data = read_model_data(path)
    running = {m.mount: m for m in catalogue.models()}
    model = running[data["mount"].lstrip("/")]
    assert model.version == data["version"]
    assert [(it.path, it.key, list(it.fields)) for it in model.items] == [
        (it["path"], it["key"], list(it["fields"])) for it in data["items"]
    ]
    assert list(model.settings) == list(data["settings"])
