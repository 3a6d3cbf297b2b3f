"""Static routes, /api/routes/routes/ (interfaces-and-services.md section 2)."""

MODELS: list = []
CONTROLLERS: list = []
