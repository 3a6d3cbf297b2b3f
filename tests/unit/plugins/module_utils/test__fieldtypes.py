"""OPNsense's core field types (_fieldtypes): their rules and their messages, one check at a time."""

from __future__ import annotations

import pytest

from ansible_collections.opnform.opnsense.plugins.module_utils import _fieldtypes as F
from ansible_collections.opnform.opnsense.plugins.module_utils._facts import Facts
from ansible_collections.opnform.opnsense.plugins.module_utils._spec import (
    FieldSpec,
    ResourceSpec,
    boolean,
    integer,
    multi,
    option,
    text,
)


def ctx(facts=None, **record):
    return F.Context("t", record, facts)


def messages(problems):
    return [m for m, _value in problems]


def test_boolean():
    assert F.boolean(boolean("b"), "1", ctx()) == []
    assert messages(F.boolean(boolean("b"), "2", ctx())) == ["Value should be a boolean (0,1)."]


def test_integer_uses_the_field_message_or_the_default():
    plain = integer("n", minimum=1, maximum=10)
    assert F.integer(plain, "5", ctx()) == []
    assert messages(F.integer(plain, "11", ctx())) == ["Invalid integer value."]
    assert messages(F.integer(plain, "05", ctx())) == ["Invalid integer value."]
    own = integer("n", minimum=1, maximum=10, message="Please specify a value between 1 and 10.")
    assert messages(F.integer(own, "0", ctx())) == ["Please specify a value between 1 and 10."]


def test_numeric():
    field = FieldSpec("n", ftype="NumericField")
    assert F.numeric(field, "1.5", ctx()) == [] and F.numeric(field, "1,5", ctx()) != []  # is_numeric() first
    assert messages(F.numeric(field, "daily", ctx())) == ["Invalid numeric value."]


def test_text_mask_and_character_rules():
    masked = text("t", pattern=r"^[0-9a-z]{1,4}$")
    assert F.text(masked, "ab1", ctx()) == []
    assert messages(F.text(masked, "abcde", ctx())) == ["Text does not validate."]
    strict = text("t", pattern=r"^[0-9a-zA-Z.,_-]{0,512}$", ftype="StrictTextField")
    assert messages(F.strict_text(strict, "a b", ctx())) == [
        "Text may not contain spaces or tabs.",
        "Text does not validate.",
    ]


def test_description_counts_bytes_and_refuses_newlines_and_control_characters():
    field = text("d", ftype="DescriptionField")
    assert F.description(field, "x" * 255, ctx()) == []
    assert messages(F.description(field, "é" * 128, ctx())) == [
        "Description should be a string between 1 and 255 characters."
    ]
    assert messages(F.description(field, "a\nb", ctx()))[0] == "Text may not contain newlines."
    assert messages(F.description(field, "a\x0bb", ctx())) == ["Text may not contain special control characters."]


def test_options_single_multi_and_from_the_firewall():
    single = option("o", ("a", "b"))
    assert F.option_list(single, "a", ctx()) == []
    assert F.option_list(single, "c", ctx()) == [("Option [] not in list.", "c")]
    several = multi("m", ("a", "b"))
    assert F.option_list(several, "a,x,y,x", ctx()) == [
        ("Option [x] not in list.", "x"),
        ("Option [y] not in list.", "y"),
    ]
    box = text("iface", ftype="InterfaceField")
    assert F.option_list(box, "lan99", ctx()) == [], "unknown options are left to OPNsense"
    facts = Facts()
    spec = ResourceSpec("t", "m", "c", "k", ("iface",), (box,), "s")
    facts.add_blank(spec, {"iface": {"": {"value": "None"}, "lan": {"value": "LAN"}}})
    context = F.Context("t", {}, facts)
    assert F.option_list(box, "lan", context) == [] and F.option_list(box, "lan99", context) != []
    assert F.option_list(box, "", context) != [], "the blank entry is no option"


def test_csv_list_mask_applies_to_the_whole_value_unless_per_item():
    whole = multi("l", pattern=r"^(([a-z]+:[0-9]+)([,]){0,1})*", ftype="CSVListField", message="Bad list.")
    assert F.csv_list(whole, "a:1,b:2", ctx()) == []
    assert F.csv_list(whole, "a:1,b", ctx()) == [("Bad list.", "a:1,b")]
    each = multi("l", pattern=r"^[a-z]+$", ftype="CSVListField", xml=(("MaskPerItem", "Y"),))
    assert F.csv_list(each, "ab,c1", ctx()) == [('"c1" is invalid. List validation error.', "c1")]


@pytest.mark.parametrize(
    "xml,value,ok",
    [((), "10.0.0.1", True), ((), "any", True), ((), "10.0.0.0/24", True), ((), "10.0.0.0/33", False),
     ((("NetMaskRequired", "Y"),), "10.0.0.0", False), ((("NetMaskAllowed", "N"),), "10.0.0.0/8", False),
     ((("WildcardEnabled", "N"),), "any", False), ((("AddressFamily", "ipv4"),), "::1", False),
     ((("AsList", "Y"),), "10.0.0.1,::1", True), ((), "10.0.0.0/255.0.0.0", False)],
)  # fmt: skip
def test_network(xml, value, ok):
    field = text("n", ftype="NetworkField", xml=xml)
    assert (F.network(field, value, ctx()) == []) is ok


@pytest.mark.parametrize(
    "xml,value,ok",
    [((), "www.example.com", True), ((), "10.0.0.1", True), ((("IpAllowed", "N"),), "10.0.0.1", False),
     ((), "*", False), ((("HostWildcardAllowed", "Y"),), "*", True), ((), "a_b", False),
     ((("IsDNSName", "Y"),), "a_b", True), ((("FqdnWildcardAllowed", "Y"),), "*.example.com", True),
     ((), "a b", False)],
)  # fmt: skip
def test_hostname(xml, value, ok):
    field = text("h", ftype="HostnameField", xml=xml)
    assert (F.hostname(field, value, ctx()) == []) is ok


def test_hostname_message_names_the_entry():
    field = text("h", ftype="HostnameField")
    assert F.hostname(field, "a b", ctx()) == [("[a b] is not a valid IP address or hostname.", "a b")]


def test_every_field_type_of_the_registry_has_a_check():
    from ansible_collections.opnform.opnsense.plugins.module_utils._registry import REGISTRY
    from ansible_collections.opnform.opnsense.plugins.module_utils._validate import CHECKS

    for spec in REGISTRY.values():
        for field in spec.fields:
            assert field.ftype in CHECKS, (spec.type, field.name, field.ftype)
            assert not F.box_options(field) or field.ftype in F.BOX_TYPES
