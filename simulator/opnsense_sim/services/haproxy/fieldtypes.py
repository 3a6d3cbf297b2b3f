"""Field types HAProxy.xml uses whose behaviour is code, registered for the model data by XML name.

- CertificateField: refids from the simulated trust store (truststore.py), options ordered by
  description, CAs flagged for OCSP signing left out (FT/CertificateField.php); `<Type>` picks
  the kind (cert, ca, crl).
"""

from __future__ import annotations

from typing import Any

from ...core.fields import BaseListField, FieldContext
from ...core.modeldata import register_field_type
from ...core.modeldata.registry import LIST, arg
from . import truststore


class CertificateField(BaseListField):
    default_message = "Please select a valid certificate from the list."

    def __init__(self, kind: str = "cert", **kw: Any) -> None:
        super().__init__(**kw)
        self.kind = kind

    def options(self, ctx: FieldContext) -> dict[str, str]:
        return truststore.options(self.kind)


register_field_type("CertificateField", CertificateField, Type=arg("kind"), **LIST)
