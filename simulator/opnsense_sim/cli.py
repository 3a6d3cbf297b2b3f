"""`opnsense-sim`: run a simulated OPNsense firewall until interrupted."""

from __future__ import annotations

import argparse
import json
import signal
import sys
import threading

from .costs import PROFILES
from .environment import SUPPORTED_VERSIONS
from .server import Simulator


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="opnsense-sim", description="A faithful stand-in for the OPNsense REST API.")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=8443, help="port (default 8443; 0 picks a free one)")
    p.add_argument("--api-key", default=None, help="API key (default: generated and printed)")
    p.add_argument("--api-secret", default=None, help="API secret (default: generated and printed)")
    p.add_argument("--no-tls", action="store_true", help="serve plain HTTP (debugging only)")
    p.add_argument("--profile", choices=sorted(PROFILES), default="instant", help="cost model (default instant)")
    p.add_argument(
        "--opnsense-version", choices=sorted(SUPPORTED_VERSIONS), default="26.7", help="behave as this release"
    )
    p.add_argument("--state-file", default=None, help="persist the configuration as config.xml here")
    p.add_argument(
        "--unsafe-concurrent-writes", action="store_true", help="reproduce the lost updates of releases before 25.1.2"
    )
    p.add_argument("--workdir", default=None, help="where the generated CA and server certificate go")
    p.add_argument("--ready-file", default=None, help="write url, key, secret and CA path as JSON here once listening")
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    sim = Simulator(
        host=args.host,
        port=args.port,
        api_key=args.api_key,
        api_secret=args.api_secret,
        tls=not args.no_tls,
        profile=args.profile,
        opnsense_version=args.opnsense_version,
        state_file=args.state_file,
        unsafe_concurrent_writes=args.unsafe_concurrent_writes,
        workdir=args.workdir,
    )
    sim.start()
    info = {"url": sim.url, "api_key": sim.api_key, "api_secret": sim.api_secret, "ca_file": sim.ca_file}
    print(f"opnsense-sim {sim.app.env.product_version} listening on {sim.url}", flush=True)
    if sim.ca_file:
        print(f"CA file: {sim.ca_file}", flush=True)
    print(f"API key: {sim.api_key}", flush=True)
    if args.api_secret is None:
        print(f"API secret: {sim.api_secret}", flush=True)
    if args.ready_file:
        with open(args.ready_file, "w", encoding="utf-8") as fh:
            json.dump(info, fh)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    stop.wait()
    sim.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
