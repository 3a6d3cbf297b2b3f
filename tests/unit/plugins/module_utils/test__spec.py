"""The checks a spec record makes on itself when it is built (_spec.ResourceSpec / FieldSpec)."""

from __future__ import annotations

import pytest

from ansible_collections.opnform.opnsense.plugins.module_utils._spec import (
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
