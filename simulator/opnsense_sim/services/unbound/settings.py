"""Unbound host overrides and host aliases, /api/unbound/ (interfaces-and-services.md section 4)."""

MODELS: list = []
CONTROLLERS: list = []
