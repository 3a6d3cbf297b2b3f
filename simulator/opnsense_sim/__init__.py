"""opnsense-sim: an OPNsense REST API simulator written from the facts in shared/opnsense-api.

with Simulator(port=0, profile="instant") as sim:
    sim.url, sim.api_key, sim.api_secret, sim.ca_file, sim.state(), sim.reset(), sim.inject(...)
"""

from .server import Simulator

__all__ = ["Simulator"]
