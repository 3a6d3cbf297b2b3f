"""Firewall aliases, /api/firewall/alias/ (firewall.md section 2)."""

MODELS: list = []
CONTROLLERS: list = []
