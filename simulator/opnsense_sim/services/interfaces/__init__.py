"""Simulated /api/interfaces/ endpoints."""

from ...core.fields import AutoNumberField
from ...core.modeldata import register_field_type
from ...core.modeldata.registry import MIN_MAX

# Base/FieldTypes/AutoNumberField.php, a core type; Loopback.xml and VxLan.xml number their devices with it.
register_field_type("AutoNumberField", AutoNumberField, **MIN_MAX)
