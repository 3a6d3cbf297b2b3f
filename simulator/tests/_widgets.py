"""A test-only service ("widgets") that exercises generic features the real models use: option
fields with and without a blank entry, multi-selects, relations, nested containers, settings, a
reload subsystem. Tests that need it use the `wsim`/`wapi` fixtures, which add this module to the
service catalogue for their own simulator."""

from __future__ import annotations

from typing import Any

from _services import service_fixtures, service_installed
from opnsense_sim import Simulator
from opnsense_sim.app import action
from opnsense_sim.core.controller import Controller, MutableModelController, ServiceController
from opnsense_sim.core.errors import UserException, UserInformationalException, UserWarningException
from opnsense_sim.core.fields import (
    BooleanField,
    IntegerField,
    ItemType,
    Model,
    ModelRelationField,
    OptionField,
    TextField,
)


class LabelledText(TextField):
    """A single-value field with a description, like PortField or NetworkAliasField."""

    def display(self, value: str, ctx: Any) -> str | None:
        return {"443": "https", "80": "http"}.get(value)


WIDGET = ItemType(
    key="sim.widget",
    path="widgets.widget",
    fields={
        "enabled": BooleanField(default="1", required=True),
        "name": TextField(required=True, mask=r"[a-z0-9_]+", message="Lower-case names only."),
        "count": IntegerField(minimum=1, maximum=10),
        "kind": OptionField({"a": "Kind A", "b": "Kind B"}),
        "shape": OptionField({"round": "Round", "square": "Square"}, required=True, default="round"),
        "tags": OptionField({"x": "Tag X", "y": "Tag Y", "z": "Tag Z"}, multiple=True),
        "category": ModelRelationField("firewall.category", label="name"),
        "opts.level": IntegerField(default="5"),
        "descr": TextField(),
        "port": LabelledText(),
    },
)


def _no_x(item: dict[str, str], ctx: Any) -> dict[str, list[str]]:
    """A model-level check, so one field can collect two different messages."""
    return {"name": ["Names may not contain an X."]} if "X" in item.get("name", "") else {}


WIDGET.validate = _no_x

MODEL = Model(
    name="widgets",
    mount="OPNsense/Sim/Widgets",
    version="1.0.0",
    items=[WIDGET],
    settings={"general.enabled": BooleanField(default="0", required=True), "general.label": TextField(default="w")},
    subsystem="widget",
    description="Test widgets",
)
MODELS = [MODEL]


class WidgetController(MutableModelController):
    namespace = "Sim"
    name = "Widget"
    model = MODEL

    @action
    def searchItem(self) -> dict[str, Any]:
        return self.search_base("widgets.widget")

    @action
    def getItem(self, uuid: str | None = None) -> dict[str, Any]:
        return self.get_base("widget", "widgets.widget", uuid)

    @action
    def addItem(self) -> dict[str, Any]:
        return self.add_base("widget", "widgets.widget")

    @action
    def setItem(self, uuid: str) -> dict[str, Any]:
        return self.set_base("widget", "widgets.widget", uuid)

    @action
    def delItem(self, uuid: str) -> dict[str, Any]:
        return self.del_base("widgets.widget", uuid)

    @action
    def toggleItem(self, uuid: str, enabled: str | None = None) -> dict[str, Any]:
        return self.toggle_base("widgets.widget", uuid, enabled)


class WidgetErrorController(Controller):
    """Raises each kind of exception api.php distinguishes."""

    namespace = "Sim"
    name = "Errors"

    @action
    def user(self) -> dict[str, Any]:
        raise UserException("Bad <thing> & more/less", "A title")

    @action
    def warning(self) -> dict[str, Any]:
        raise UserWarningException("Cannot move to the same spot.", "Filter")

    @action
    def info(self) -> dict[str, Any]:
        raise UserInformationalException("Just so you know.", "Info")

    @action
    def crash(self) -> dict[str, Any]:
        raise ZeroDivisionError("a bug")

    @action
    def text(self) -> str:
        return "plain"


class WidgetServiceController(ServiceController):
    namespace = "Sim"
    name = "Service"
    subsystem = "widget"


class WidgetGroupController(MutableModelController):
    """A two-word controller name, for the routing rules (VlanSettings-like)."""

    namespace = "Sim"
    name = "WidgetGroup"
    model = MODEL

    @action
    def searchItem(self) -> dict[str, Any]:
        return self.search_base("widgets.widget")


CONTROLLERS = [WidgetController, WidgetServiceController, WidgetGroupController, WidgetErrorController]


def widgets_installed():
    return service_installed("_widgets")


def reset_with_widgets(sim: Simulator, version: str = "26.7") -> None:
    with widgets_installed():
        sim.reset(version)


widget_simulator, wsim, wapi = service_fixtures("_widgets", "widget_simulator", "wsim", "wapi")
