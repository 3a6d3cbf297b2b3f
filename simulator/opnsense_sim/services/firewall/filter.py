"""Firewall filter rules, /api/firewall/filter/ (firewall.md section 1)."""

MODELS: list = []
CONTROLLERS: list = []
