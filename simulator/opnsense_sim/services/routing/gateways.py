"""Gateways, /api/routing/settings/ (interfaces-and-services.md section 3)."""

MODELS: list = []
CONTROLLERS: list = []
