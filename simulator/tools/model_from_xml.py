"""Turn an OPNsense model XML file into the simulator's model data (JSON), for review by diff.

Reads the `<model><mount/><version/><description/><items>...</items></model>` format of
opnsense/core `src/opnsense/mvc/app/models/OPNsense/*/*.xml` (and the plugins' models) with
xml.etree and writes what `opnsense_sim.core.modeldata` loads: per ArrayField container and per
settings leaf, each field's type (the FieldType class name, namespace and `.\\` dropped) and its
elements as the XML states them. `Constraints` blocks are left out: the simulator implements them
by hand in each model's validate hook. See simulator/README.md, "Models as data".

    python simulator/tools/model_from_xml.py Vlan.xml --source OPNsense.Interfaces.Vlan \\
        --key-prefix interfaces [--key PATH=KEY ...] [--select PATH ...] [--array-type TYPE ...] \\
        [--upstream "opnsense/core 26.7.2 src/.../Vlan.xml"] [-o Vlan.json]
"""

from __future__ import annotations

import argparse
import json
import sys
import xml.etree.ElementTree as ET
from typing import Any

CONTAINER_TYPES = ("", "ContainerField")
# ArrayField and the subclasses of it that core models use for their item containers.
ARRAY_TYPES = ("ArrayField", "AliasField", "GatewayField")
SKIPPED_ELEMENTS = ("Constraints",)


def type_name(raw: str, local_types: dict[str, str] | None = None) -> str:
    """`.\\VlanInterfaceField` or `OPNsense\\Base\\FieldTypes\\TextField` -> the class name.

    `local_types` renames model-local classes (`.\\Name`) whose name a core type has too, for
    example Dnsmasq's own HostnameField."""
    name = raw.replace("/", "\\").rsplit("\\", 1)[-1]
    if local_types and raw.startswith(".") and name in local_types:
        return local_types[name]
    return name


def element_value(node: ET.Element) -> Any:
    """BaseModel::parseOptionData(): a leaf's text as is (not trimmed), else a mapping of its
    children, each keyed by its `value` attribute when it has one, else by its tag (so
    OptionValues keys that are no XML names, nested optgroups, Model templates and filters)."""
    if len(node) == 0:
        return node.text or ""
    return {child.get("value", child.tag): element_value(child) for child in node if isinstance(child.tag, str)}


def field_spec(node: ET.Element, local_types: dict[str, str] | None = None) -> dict[str, Any]:
    spec: dict[str, Any] = {"type": type_name(node.get("type", ""), local_types)}
    for attr, value in node.attrib.items():
        if attr != "type":
            spec[attr] = value
    for child in node:
        if child.tag not in SKIPPED_ELEMENTS:
            spec[child.tag] = element_value(child)
    return spec


def item_fields(node: ET.Element, local_types: dict[str, str] | None = None, prefix: str = "") -> dict[str, Any]:
    """The fields of an item container; a typeless node with children inside it is a ContainerField
    (Kea's `option_data`), whose leaves are named by dotted path (`option_data.routers`)."""
    fields: dict[str, Any] = {}
    for f in node:
        if not isinstance(f.tag, str):
            continue
        if not f.get("type") and len(f) and all(isinstance(c.tag, str) and c.get("type") for c in f):
            fields.update(item_fields(f, local_types, f"{prefix}{f.tag}."))
        else:
            fields[prefix + f.tag] = field_spec(f, local_types)
    return fields


def walk(
    node: ET.Element,
    path: list[str],
    out: dict[str, Any],
    array_types: tuple[str, ...],
    local_types: dict[str, str] | None = None,
) -> None:
    """Collect ArrayField containers into out["items"] and leaves into out["settings"], in XML order."""
    for child in node:
        if not isinstance(child.tag, str):
            continue  # comments
        kind = type_name(child.get("type", ""))
        here = [*path, child.tag]
        if kind in array_types:
            fields = item_fields(child, local_types)
            out["items"].append({"path": ".".join(here), "type": kind, "fields": fields})
        elif kind in CONTAINER_TYPES:
            walk(child, here, out, array_types, local_types)
        else:
            out["settings"][".".join(here)] = field_spec(child, local_types)


def selected(path: str, select: list[str]) -> bool:
    return not select or any(path == s or path.startswith(s + ".") for s in select)


def convert(
    xml_text: str,
    source: str,
    key_prefix: str,
    keys: dict[str, str] | None = None,
    select: list[str] | None = None,
    array_types: tuple[str, ...] = ARRAY_TYPES,
    upstream: str = "",
    local_types: dict[str, str] | None = None,
) -> dict[str, Any]:
    """The model data of one model XML document.

    `key_prefix` names item containers `<prefix>.<last path part>` (the simulator's state keys),
    `keys` overrides that per container path; `select` keeps only these containers, settings and
    fields (dotted paths; a field of a container is `<container path>.<field>`); `array_types`
    are the field types that make an item container; `upstream` (where the XML came from, for
    example "opnsense/core 26.7.2 src/opnsense/mvc/app/models/OPNsense/Interfaces/Vlan.xml") is
    recorded as given; `local_types` renames model-local field classes (see type_name).
    """
    root = ET.fromstring(xml_text)
    select = select or []
    walked: dict[str, Any] = {"items": [], "settings": {}}
    walk(root.find("items"), [], walked, array_types, local_types)
    items = []
    for item in walked["items"]:
        path = item["path"]
        wanted = [s for s in select if s.startswith(path + ".")]
        if not selected(path, select) and not wanted:
            continue
        fields = item["fields"]
        if wanted and not selected(path, [s for s in select if s not in wanted]):
            fields = {name: spec for name, spec in fields.items() if f"{path}.{name}" in wanted}
        key = (keys or {}).get(path) or f"{key_prefix}.{path.rsplit('.', 1)[-1]}"
        items.append({"path": path, "key": key, "type": item["type"], "fields": fields})
    settings = {path: spec for path, spec in walked["settings"].items() if selected(path, select)}
    head = {"upstream": upstream} if upstream else {}
    return {
        **head,
        "source": source,
        "mount": (root.findtext("mount") or "").strip(),
        "version": (root.findtext("version") or "").strip(),
        "description": " ".join((root.findtext("description") or "").split()),
        "items": items,
        "settings": settings,
    }


def dumps(data: dict[str, Any]) -> str:
    """The checked-in layout: two-space indent, keys in XML order, UTF-8, final newline."""
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("xml", help="model XML file")
    parser.add_argument("--source", required=True, help="the model's class, e.g. OPNsense.HAProxy.HAProxy")
    parser.add_argument("--key-prefix", required=True, help="state key prefix of item containers, e.g. haproxy")
    parser.add_argument("--key", action="append", default=[], metavar="PATH=KEY", help="state key of one container")
    parser.add_argument("--select", action="append", default=[], metavar="PATH", help="keep only these paths")
    parser.add_argument("--array-type", action="append", default=[], metavar="TYPE", help="another ArrayField subclass")
    parser.add_argument("--upstream", default="", help="where the XML came from: repository, release, path")
    parser.add_argument(
        "--local-type",
        action="append",
        default=[],
        metavar="NAME=TYPE",
        help="write the model-local class .\\NAME as TYPE (its name is a core type's too)",
    )
    parser.add_argument("-o", "--output", help="write here instead of standard output")
    args = parser.parse_args(argv)
    keys = dict(pair.split("=", 1) for pair in args.key)
    with open(args.xml, encoding="utf-8") as fh:
        xml_text = fh.read()
    data = convert(
        xml_text,
        args.source,
        args.key_prefix,
        keys=keys,
        select=args.select,
        array_types=ARRAY_TYPES + tuple(args.array_type),
        upstream=args.upstream,
        local_types=dict(pair.split("=", 1) for pair in args.local_type),
    )
    text = dumps(data)
    if args.output:
        with open(args.output, "w", encoding="utf-8") as fh:
            fh.write(text)
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
