"""HAProxy settings, /api/haproxy/settings/ (haproxy.md sections 1, 3-5)."""

MODELS: list = []
CONTROLLERS: list = []
