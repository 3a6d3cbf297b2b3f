"""Simulated /api/interfaces/ endpoints."""
