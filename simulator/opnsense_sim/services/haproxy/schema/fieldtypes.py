"""Field types HAProxy.xml uses that the core does not have.

- CertificateField: refids from the simulated trust store (truststore.py), options ordered by
  description, CAs flagged for OCSP signing left out (FT/CertificateField.php).
"""

from __future__ import annotations

from typing import Any

from ....core.fields import BaseListField, FieldContext
from .. import truststore


class CertificateField(BaseListField):
    default_message = "Please select a valid certificate from the list."

    def __init__(self, kind: str = "cert", **kw: Any) -> None:
        super().__init__(**kw)
        self.kind = kind

    def options(self, ctx: FieldContext) -> dict[str, str]:
        return truststore.options(self.kind)
