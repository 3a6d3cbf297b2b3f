"""The checks a spec record makes on itself when it is built (_spec.ResourceSpec / FieldSpec)."""

from __future__ import annotations

import pytest

from ansible_collections.opnform.opnsense.plugins.module_utils._spec import (
    BOOL,
    Ordering,
    ResourceSpec,
    integer,
    ref,
    text,
)


def _spec(**kw):
    fields = kw.pop("fields", (text("name", "Name."), integer("sequence", "Position."), text("group", "Group.")))
    return ResourceSpec(
        type="example_thing",
        module="example",
        controller="thing",
        key="thing",
        identity=("name",),
        fields=fields,
        summary="Example",
        **kw,
    )


def test_ordering_defaults_to_none_and_mentions_to_nothing():
    spec = _spec()
    assert spec.ordering is None
    assert spec.mention_fields == ()
    assert spec.dependencies == ()


def test_ordering_must_name_fields_of_the_spec():
    assert _spec(ordering=Ordering(field="sequence", group=("group",))).ordering.step == 100
    with pytest.raises(ValueError, match="ordering field position"):
        _spec(ordering=Ordering(field="position"))
    with pytest.raises(ValueError, match="ordering field missing"):
        _spec(ordering=Ordering(field="sequence", group=("missing",)))


def test_mentions_and_references_make_dependencies():
    spec = _spec(
        fields=(
            text("name", "Name.", mentions="other_thing"),
            ref("parent", "a_thing", "Parent."),
            text("peer", "Peer.", mentions="other_thing"),
        )
    )
    assert [f.name for f in spec.mention_fields] == ["name", "peer"]
    assert spec.references == ("a_thing",)
    assert spec.dependencies == ("a_thing", "other_thing")


def test_a_reference_field_cannot_also_mention():
    with pytest.raises(ValueError, match="reference field"):
        ref("parent", "a_thing", "Parent.", mentions="other_thing")


def _registry_fields(kind):
    from ansible_collections.opnform.opnsense.plugins.module_utils._registry import REGISTRY

    return [(name, f) for name, spec in sorted(REGISTRY.items()) for f in spec.fields if f.kind == kind]


BOOLEANS = _registry_fields(BOOL)


@pytest.mark.parametrize("name,field", BOOLEANS, ids=["%s.%s" % (n, f.name) for n, f in BOOLEANS])
def test_every_boolean_field_defaults_to_what_opnsense_stores(name, field):
    """A BooleanField is never empty: without a ``<Default>`` in the model XML it stores "0"
    (Base/FieldTypes/BooleanField.php sets ``$internalDefaultValue = "0"``, and ArrayField::add()
    applies each field's default to a new item). A spec default of None would make every object
    created without the field differ from a resource that leaves it out (issue 12)."""
    assert field.default in (True, False), "%s.%s: default %r, not OPNsense's" % (name, field.name, field.default)
