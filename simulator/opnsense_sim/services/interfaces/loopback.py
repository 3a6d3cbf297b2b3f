"""Loopback devices, /api/interfaces/loopback_settings/ (core 26.7.2
`controllers/OPNsense/Interfaces/Api/LoopbackSettingsController.php`, `models/OPNsense/Interfaces/Loopback.xml`).

Fields are data, Loopback.json. The device is `lo<deviceId>` (`etc/inc/plugins.inc.d/loopback.inc`),
deviceId an AutoNumberField: the lowest unused number from 1, or any number posted (nothing checks
that it is unique). The controller is the plain base: no safe delete, no in-use check, so an
assigned loopback can be deleted. `reconfigure` runs configd `interface loopback configure`
(`pluginctl -c loopback`) and answers its output lower-cased and trimmed, "ok".
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ...app import action
from ...core.controller import MutableModelController
from ...core.modeldata import load_model

MODEL = load_model(Path(__file__).with_name("Loopback.json"), name="loopback", subsystem="loopback", title="loopbacks")
LOOPBACK = MODEL.item("loopback")
MODELS = [MODEL]


class LoopbackSettingsController(MutableModelController):
    namespace = "Interfaces"
    name = "LoopbackSettings"
    model = MODEL

    @action
    def searchItem(self) -> dict[str, Any]:
        return self.search_base("loopback", None, "description")

    @action
    def getItem(self, uuid: str | None = None) -> dict[str, Any]:
        return self.get_base("loopback", "loopback", uuid)

    @action
    def addItem(self) -> dict[str, Any]:
        return self.add_base("loopback", "loopback")

    @action
    def setItem(self, uuid: str) -> dict[str, Any]:
        return self.set_base("loopback", "loopback", uuid)

    @action
    def delItem(self, uuid: str) -> dict[str, Any]:
        return self.del_base("loopback", uuid)

    @action
    def reconfigure(self) -> dict[str, Any]:
        return self.reconfigure_base("loopback")


CONTROLLERS = [LoopbackSettingsController]
