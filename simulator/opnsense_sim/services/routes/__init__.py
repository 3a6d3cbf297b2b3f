"""Simulated /api/routes/ endpoints."""
