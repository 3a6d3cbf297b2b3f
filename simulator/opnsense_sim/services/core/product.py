"""What `configd firmware product`, `firmware local/remote` and an update check report (interfaces-and-services.md 7).

The product record is /usr/local/opnsense/version/core (src/opnsense/version/core.in: every CORE_*
key and the product_* keys) merged with product.php's additions, keys sorted as ksort() does.
Values that depend on the build host rather than the source (Python, syslog-ng, FreeBSD and
OpenSSL versions) are plausible stand-ins.
"""

from __future__ import annotations

import time
from typing import Any

# Per simulated series: (version, short commit hash, nickname, next series, tag date).
RELEASES = {
    "26.7": ("26.7.2", "3fa8a4cfb5", "Xenial Xenops", "27.1", "Wed Aug 12 11:27:43 UTC 2026"),
    "26.1": ("26.1.11", "c930ab586f", "Witty Woodpecker", "26.7", "Wed Jul 1 10:57:21 UTC 2026"),
}
FREEBSD = "FreeBSD 14.3-RELEASE-p4"
OPENSSL = "OpenSSL 3.0.17 1 Jul 2025"

# Plugins from opnsense/plugins: name -> (version, comment, origin, tier).
PLUGINS = {
    "os-acme-client": ("4.16", "ACME Client", "security/acme-client", "3"),
    "os-frr": ("1.54", "The FRRouting Protocol Suite", "net/frr", "2"),
    "os-git-backup": ("1.1", "Track config changes using git", "sysutils/git-backup", "3"),
    "os-haproxy": ("5.1", "Reliable, high performance TCP/HTTP load balancer", "net/haproxy", "3"),
    "os-nginx": ("1.36", "Nginx HTTP server and reverse proxy", "www/nginx", "3"),
}


def product(env: Any, check: dict[str, Any] | None) -> dict[str, Any]:
    version, commit, nickname, nxt, built = RELEASES[env.version]
    series = env.version
    record = {
        "CORE_ABI": series,
        "CORE_ARCH": env.arch,
        "CORE_COMMIT": f"{version} 0 {commit}",
        "CORE_CONFLICTS": "firewall wireguard wireguard-go",
        "CORE_COPYRIGHT_HOLDER": "Deciso B.V.",
        "CORE_COPYRIGHT_WWW": "https://www.deciso.com/",
        "CORE_COPYRIGHT_YEARS": "2014-2026",
        "CORE_GID": "789",
        "CORE_GROUP": "wwwonly",
        "CORE_HASH": commit,
        "CORE_MAINTAINER": "project@opnsense.org",
        "CORE_NAME": "opnsense",
        "CORE_NEXT": nxt,
        "CORE_NICKNAME": nickname,
        "CORE_PACKAGESITE": "https://pkg.opnsense.org",
        "CORE_PKGVERSION": version,
        "CORE_PRODUCT": "OPNsense",
        "CORE_PYTHON_DOT": "3.11",
        "CORE_SERIES_FW": series,
        "CORE_SERIES": series,
        "CORE_SYSLOGNG": "4.8",
        "CORE_UID": "789",
        "CORE_USER": "wwwonly",
        "CORE_VERSION": version,
        "CORE_WWW": "https://opnsense.org/",
        "product_abi": series,
        "product_arch": env.arch,
        "product_check": check,
        "product_conflicts": "firewall wireguard wireguard-go",
        "product_copyright_owner": "Deciso B.V.",
        "product_copyright_url": "https://www.deciso.com/",
        "product_copyright_years": "2014-2026",
        "product_email": "project@opnsense.org",
        "product_hash": commit,
        "product_id": "opnsense",
        "product_latest": version,
        "product_license": [],
        "product_log": 0,
        "product_mirror": f"https://pkg.opnsense.org/FreeBSD:14:{env.arch}/{series}",
        "product_name": "OPNsense",
        "product_nickname": nickname,
        "product_repos": "OPNsense",
        "product_series": series,
        "product_tier": "1",
        "product_time": built,
        "product_version": version,
        "product_website": "https://opnsense.org/",
    }
    return dict(sorted(record.items()))


def check_result(env: Any, when: float) -> dict[str, Any]:
    """/tmp/pkg_upgrade.json as check.sh writes it when the mirror offers nothing new."""
    version = RELEASES[env.version][0]
    return {
        "api_version": "2",
        "connection": "ok",
        "downgrade_packages": [],
        "download_size": "",
        "last_check": time.strftime("%a %b %d %H:%M:%S UTC %Y", time.gmtime(when)),
        "needs_reboot": "0",
        "new_packages": [],
        "os_version": FREEBSD,
        "product_id": "opnsense",
        "product_target": "opnsense",
        "product_version": version,
        "product_abi": env.version,
        "reinstall_packages": [],
        "remove_packages": [],
        "repository": "ok",
        "upgrade_major_message": "",
        "upgrade_major_version": "",
        "upgrade_needs_reboot": "0",
        "upgrade_packages": [],
        "upgrade_sets": [],
    }


def package(name: str, version: str, comment: str, origin: str, installed: bool, configured: bool) -> dict[str, str]:
    """One FirmwareController::infoAction() package row (local and remote merged)."""
    return {
        "name": name,
        "version": version,
        "comment": comment,
        "flatsize": "1.2MiB",
        "locked": "N/A",
        "automatic": "N/A",
        "license": "BSD2CLAUSE",
        "repository": "OPNsense",
        "origin": origin,
        "provided": "1",
        "installed": "1" if installed else "0",
        "path": f"OPNsense/{origin}",
        "configured": "1" if configured else "0",
    }
