"""Simulated /api/unbound/ endpoints."""
