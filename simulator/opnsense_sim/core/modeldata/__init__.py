"""Models as data: model files generated from OPNsense's model XML, turned into field objects.

A model file (JSON, written by simulator/tools/model_from_xml.py and reviewed) names each field's
FieldType class and its XML elements; `registry` maps type names to field classes and their
elements to constructor arguments, `loader` builds the ItemTypes and the Model. Behaviour beyond
field types (constraints, performValidation, controllers) stays hand-written in the services.
"""

from .configd import register_configd_list
from .loader import ModelDataError, load_model, read_model_data, register_relation_class
from .registry import FIELD_TYPES, FieldType, register_field_type

__all__ = [
    "FIELD_TYPES",
    "FieldType",
    "ModelDataError",
    "load_model",
    "read_model_data",
    "register_configd_list",
    "register_field_type",
    "register_relation_class",
]
