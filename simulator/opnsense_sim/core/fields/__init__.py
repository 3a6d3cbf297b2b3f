"""Field types of the OPNsense model layer (Base/FieldTypes/*.php of 26.7.2), as the API sees them.

Each type follows its PHP class: how setValue stores a posted value, which validators run and with
which messages (the XML `<ValidationMessage>` or the type's default), how getNodeData renders it
and its getDescription. Service packages subclass these only where upstream has a type of its own.
"""

from .base import REQUIRED_MSG, Field, FieldContext, UniqueIdField
from .lists import (
    BaseListField,
    DynamicOptionField,
    InterfaceField,
    JsonKeyValueStoreField,
    ModelRelationField,
    OptionField,
    option_label,
)
from .model import ItemType, Model
from .numeric import AutoNumberField, BooleanField, IntegerField, NumericField
from .sets import BaseSetField, CSVListField, HostnameField, MacAddressField, NetworkField
from .text import DescriptionField, EmailField, StrictTextField, TextField, UrlField

__all__ = [
    "REQUIRED_MSG",
    "AutoNumberField",
    "BaseListField",
    "BaseSetField",
    "BooleanField",
    "CSVListField",
    "DescriptionField",
    "DynamicOptionField",
    "EmailField",
    "Field",
    "FieldContext",
    "HostnameField",
    "IntegerField",
    "InterfaceField",
    "ItemType",
    "JsonKeyValueStoreField",
    "MacAddressField",
    "Model",
    "ModelRelationField",
    "NetworkField",
    "NumericField",
    "OptionField",
    "StrictTextField",
    "TextField",
    "UniqueIdField",
    "UrlField",
    "option_label",
]
