"""Simulated OPNsense modules, one package per API module (firewall, interfaces, haproxy, ...)."""
