"""Simulated /api/dnsmasq/ endpoints."""
