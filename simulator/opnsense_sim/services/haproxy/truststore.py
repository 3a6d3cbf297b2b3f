"""The simulated system trust store that HAProxy certificate fields choose from.

On a firewall, CertificateField options come from config.xml's `cert`, `ca` and `crl` sections:
refid -> description, sorted by description, CAs made for OCSP signing left out (haproxy.md 3,
core FT/CertificateField.php). The simulator has no trust store API, so this fixed set stands in.
Refids look like OPNsense's (13 hex digits from PHP uniqid()). Use them in `ssl_certificates`,
`ssl_default_certificate`, `sslClientCertificate` (cert), `ssl_clientAuthCAs`, `sslCA` (ca) and
`ssl_clientAuthCRLs`, `sslCRL` (crl).
"""

from __future__ import annotations

from ...core.php import natcase_key

# kind -> [(refid, descr, OCSP signing)]
ENTRIES: dict[str, list[tuple[str, str, bool]]] = {
    "cert": [
        ("64e8c2a1f0b11", "Web GUI TLS certificate", False),
        ("64e8c2a1f0b12", "www.example.com", False),
        ("64e8c2a1f0b13", "*.example.org (wildcard)", False),
    ],
    "ca": [
        ("64e8c2a1f0c21", "Internal Root CA", False),
        ("64e8c2a1f0c22", "Partner Client CA", False),
        ("64e8c2a1f0c29", "Internal OCSP Signer", True),
    ],
    "crl": [
        ("64e8c2a1f0d31", "Internal Root CA CRL", False),
    ],
}


def options(kind: str) -> dict[str, str]:
    pairs = [(refid, descr) for refid, descr, ocsp in ENTRIES.get(kind, []) if not (kind == "ca" and ocsp)]
    return dict(sorted(pairs, key=lambda p: natcase_key(p[1])))
