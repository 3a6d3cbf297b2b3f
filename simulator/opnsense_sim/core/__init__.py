"""The OPNsense MVC machinery the simulated controllers are built from (generic.md)."""
