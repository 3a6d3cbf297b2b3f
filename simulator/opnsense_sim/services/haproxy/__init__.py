"""Simulated /api/haproxy/ endpoints."""
