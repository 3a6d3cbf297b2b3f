"""The demo: start a simulated OPNsense firewall and show it answering over verified HTTPS."""

from __future__ import annotations

import requests

from opnsense_sim import Simulator


def main() -> None:
    with Simulator(port=0, profile="lan") as sim:
        print(f"simulator listening on {sim.url} (CA file {sim.ca_file})")
        s = requests.Session()
        s.auth = (sim.api_key, sim.api_secret)
        status = s.get(f"{sim.url}/api/core/firmware/status", verify=sim.ca_file, timeout=10).json()
        print(f"firmware status: {status['product']['product_name']} {status['product']['product_version']}")


if __name__ == "__main__":
    main()
