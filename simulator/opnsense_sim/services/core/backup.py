"""Config backup endpoints, /api/core/backup/ (interfaces-and-services.md section 6)."""

MODELS: list = []
CONTROLLERS: list = []
