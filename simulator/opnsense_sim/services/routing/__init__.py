"""Simulated /api/routing/ endpoints."""
