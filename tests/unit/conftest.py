"""Make the collection importable as ``ansible_collections.opnform.opnsense`` for plain pytest.

The repository root is the collection root, but Python needs it at a path ending in
``ansible_collections/opnform/opnsense``. Under ansible-test the tree already is at such a path;
otherwise ``tools/collection_link`` provides a symlink. ``fixture_registry`` is a small registry of
made-up types for tests of registry-wide behaviour.
"""

from __future__ import annotations

import os
import sys

import pytest

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))


sys.path.insert(0, os.path.join(ROOT, "tools"))
from collection_link import collection_parent  # noqa: E402

_parent = collection_parent(ROOT, "pytest")
if _parent not in sys.path:
    sys.path.insert(0, _parent)


@pytest.fixture
def fixture_registry():
    """Made-up types for registry-wide tests whose answers must not change when a real type is added.

    ``zoo_enclosure`` refers to ``zoo_animal`` and mentions ``zoo_keeper``; ``zoo_animal`` refers
    to ``zoo_keeper``; ``aquarium_tank`` (two identity fields, a plugin) stands alone.
    """
    from ansible_collections.opnform.opnsense.plugins.module_utils._spec import ResourceSpec, integer, ref, refs, text

    def spec(type_name, fields, **more):
        area, thing = type_name.split("_", 1)
        more.setdefault("identity", ("name",))
        summary = "Manage OPNsense %s %ss" % (area, thing)
        return ResourceSpec(
            type_name, area, thing, thing, fields=fields, summary=summary, description=("Made up.",), **more
        )

    name = text("name", "Name.", required=True)
    specs = (
        spec(
            "aquarium_tank",
            (text("site", "Site.", required=True), integer("number", "Number.", required=True)),
            identity=("site", "number"),
            plugin="os-aquarium",
            reload="aliases",
        ),
        spec("zoo_animal", (name, refs("keepers", "zoo_keeper", "Keepers.")), reload="filter"),
        spec(
            "zoo_enclosure",
            (name, ref("animal", "zoo_animal", "Animal."), text("sign", "Sign.", mentions="zoo_keeper")),
        ),
        spec("zoo_keeper", (name,)),
    )
    return dict((item.type, item) for item in specs)
