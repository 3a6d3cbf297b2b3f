"""HAProxy service, /api/haproxy/service/ (haproxy.md section 2)."""

MODELS: list = []
CONTROLLERS: list = []
