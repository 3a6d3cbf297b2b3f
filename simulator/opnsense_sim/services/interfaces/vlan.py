"""VLANs, /api/interfaces/vlan_settings/ (interfaces-and-services.md section 1)."""

MODELS: list = []
CONTROLLERS: list = []
