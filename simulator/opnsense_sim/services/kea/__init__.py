"""Simulated /api/kea/ endpoints."""
