"""Field types by FieldType class name, and how each one reads its model XML elements.

Every element a model file may give a field is listed here with the constructor arguments it
becomes, or as inert: BaseModel::parseXml() calls `set<Element>()` only when the field class has
that setter and ignores the element otherwise (Base/BaseModel.php), so for example a TextField's
`<MinimumValue>` does nothing upstream either. Anything else is refused by the loader, so an
element the simulator does not implement cannot be dropped silently. Core types are registered below; a service registers its own types
(those with hand-written behaviour, from FieldTypes/*.php) with `register_field_type`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

from ..fields import (
    BooleanField,
    CSVListField,
    DescriptionField,
    EmailField,
    Field,
    HostnameField,
    IntegerField,
    InterfaceField,
    JsonKeyValueStoreField,
    MacAddressField,
    ModelRelationField,
    NetworkField,
    NumericField,
    OptionField,
    StrictTextField,
    TextField,
    UniqueIdField,
    UrlField,
)
from .configd import configd_list

# An element's text (or mapping) -> constructor keyword arguments.
Reader = Callable[[Any], dict[str, Any]]


def yes(value: str) -> bool:
    """Y/N flags: `strtoupper(trim($value)) == "Y"` (BaseField::setRequired() and the others)."""
    return str(value).strip().upper() == "Y"


def arg(name: str, convert: Callable[[Any], Any] = str) -> Reader:
    return lambda value: {name: convert(value)}


def number(value: str) -> int | float:
    return int(value) if value.lstrip("-").isdigit() else float(value)


def change_case(value: str) -> dict[str, Any]:
    """BaseField::setChangeCase(): UPPER or LOWER in any case, trimmed; anything else is no change."""
    case = value.strip().upper()
    return {"lower": case == "LOWER", "upper": case == "UPPER"}


def options(values: dict[str, Any]) -> dict[str, Any]:
    """OptionValues; a nested mapping is an optgroup: its options become (label, group) pairs."""
    out: dict[str, Any] = {}
    for key, value in values.items():
        if isinstance(value, dict):
            out.update({k: (v, key) for k, v in value.items()})
        else:
            out[key] = value
    return {"options": out}


def relation(templates: dict[str, Any]) -> dict[str, Any]:
    """ModelRelationField `<Model>`: templates with source, items, display(, display_format, filters).

    Upstream skips a template without source, items or display, and an empty display_format is
    "%s" (ModelRelationField.php). The targets stay (source, items) pairs here; the loader resolves
    them to state keys. Labels and filters come from the first template.
    """
    for template in templates.values():
        if not all(part in template for part in ("source", "items", "display")):
            raise ValueError("a Model template needs source, items and display")
    first = next(iter(templates.values()))
    out: dict[str, Any] = {
        "target": [(t["source"], t["items"]) for t in templates.values()],
        "label": tuple(first["display"].split(",")),
        "display_format": first.get("display_format") or "%s",
    }
    if first.get("filters"):
        out["filters"] = first["filters"]
    return out


def filters(value: dict[str, str]) -> dict[str, Any]:
    return {"filters": value}


COMMON: dict[str, Reader] = {
    "Default": arg("default"),
    "Required": arg("required", yes),
    "ValidationMessage": arg("message"),
    "ChangeCase": change_case,
    "volatile": arg("volatile", lambda v: v.strip().lower() == "true"),
}
TEXT = {
    "Mask": arg("mask"),
    "AllowSpaces": arg("allow_spaces", yes),
    "AllowNewlines": arg("allow_newlines", yes),
    "AllowSpecial": arg("allow_special", yes),
}
MIN_MAX = {"MinimumValue": arg("minimum", number), "MaximumValue": arg("maximum", number)}
LIST = {"Multiple": arg("multiple", yes), "BlankDesc": arg("blank_desc")}
SET = {"AsList": arg("as_list", yes), "FieldSeparator": arg("separator")}


@dataclass
class FieldType:
    """A field class (or a factory of one) and the XML elements it understands (beyond COMMON).

    Element names match case-insensitively, as PHP method names do: Filter.xml's `<Filters>` and
    Gateways.xml's `<filters>` both reach InterfaceField::setFilters().
    """

    cls: Callable[..., Field]
    elements: dict[str, Reader] = field(default_factory=dict)
    inert: tuple[str, ...] = ()  # elements the PHP class has no setter for

    def reader(self, element: str) -> Reader | None:
        """The reader of an element; None for an inert one; KeyError when it is not understood."""
        if element == "type":  # the field type itself; an element `<Type>` (CertificateField) is not
            return None
        wanted = element.lower()
        if wanted in (name.lower() for name in self.inert):
            return None
        for table in (self.elements, COMMON):
            for name, reader in table.items():
                if name.lower() == wanted:
                    return reader
        raise KeyError(element)

    def arguments(self, spec: dict[str, Any]) -> dict[str, Any]:
        """Constructor arguments from a field's elements; KeyError names an element not understood."""
        kwargs: dict[str, Any] = {}
        for element, value in spec.items():
            reader = self.reader(element)
            if reader is not None:
                kwargs.update(reader(value))
        return kwargs


FIELD_TYPES: dict[str, FieldType] = {}


def register_field_type(name: str, cls: Callable[..., Field], inert: tuple[str, ...] = (), **elements: Reader) -> None:
    """Make `name` (the FieldType class name the XML uses) build `cls` from `elements`."""
    FIELD_TYPES[name] = FieldType(cls, elements, inert)


register_field_type("TextField", TextField, inert=("MinimumValue", "MaximumValue"), **TEXT)
register_field_type("DescriptionField", DescriptionField, **TEXT)
register_field_type("StrictTextField", StrictTextField, **TEXT)
register_field_type("EmailField", EmailField)
register_field_type("UrlField", UrlField, inert=("Mask",))
register_field_type("UniqueIdField", UniqueIdField)
register_field_type("BooleanField", BooleanField)
register_field_type("IntegerField", IntegerField, **MIN_MAX)
register_field_type("NumericField", NumericField, **MIN_MAX)
register_field_type("OptionField", OptionField, inert=("Sorted",), OptionValues=options, **LIST)
# AllowDynamic adds internal_dynamic interfaces: of those the simulated system has the registered
# interface groups ("S", with an address only, keeps none of them). AddParentDevices adds parent
# devices, which the simulated system does not have: no option it would add can exist.
register_field_type(
    "InterfaceField",
    InterfaceField,
    inert=("AddParentDevices",),
    filters=filters,
    AllowDynamic=lambda v: {"allow_dynamic": str(v).strip().upper() == "Y"},
    **LIST,
)
# The simulated option lists are computed per request, so ConfigdPopulateTTL (a cache lifetime)
# changes nothing; SourceField, SourceFile and SelectAll are not used by the simulated models.
register_field_type(
    "JsonKeyValueStoreField",
    JsonKeyValueStoreField,
    inert=("ConfigdPopulateTTL",),
    ConfigdPopulateAct=lambda action: {"source": configd_list(action)},
    SortByValue=arg("sort_by_value", yes),
    **LIST,
)
register_field_type("ModelRelationField", ModelRelationField, Model=relation, Sorted=arg("sorted_values", yes), **LIST)
register_field_type(
    "CSVListField",
    CSVListField,
    inert=("Multiple", "Sorted"),
    Mask=arg("mask"),
    MaskPerItem=arg("per_item", yes),
    **SET,
)
NETWORK = {
    "NetMaskRequired": arg("mask_required", yes),
    "NetMaskAllowed": arg("mask_allowed", yes),
    "WildcardEnabled": arg("wildcard", yes),
    "AddressFamily": arg("family"),
    "Strict": arg("strict", yes),
    **SET,
}
HOSTNAME = {
    "IpAllowed": arg("ip_allowed", yes),
    "HostWildcardAllowed": arg("host_wildcard", yes),
    "FqdnWildcardAllowed": arg("fqdn_wildcard", yes),
    "ZoneRootAllowed": arg("zone_root", yes),
    "IsDNSName": arg("dns_name", yes),
    **SET,
}
# NetworkField is a BaseSetField, which has no setMultiple(): Unbound.xml's `acls.acl.networks` sets it for nothing.
register_field_type("NetworkField", NetworkField, inert=("Multiple",), **NETWORK)
register_field_type("HostnameField", HostnameField, **HOSTNAME)
register_field_type("MacAddressField", MacAddressField, **SET)
