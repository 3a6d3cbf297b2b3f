"""The name lists no API offers (_netdb), as upstream builds them."""

from __future__ import annotations

from ansible_collections.opnform.opnsense.plugins.module_utils import _netdb


def test_port_field_drops_the_first_well_known_name():
    # PortField.php: ['any'] + array_keys($wellknownservices) is a PHP array union.
    assert _netdb.WELL_KNOWN_PORTS[0] == "any" and "afs3-fileserver" not in _netdb.WELL_KNOWN_PORTS
    assert {"http", "https", "ssh", "domain"} <= set(_netdb.WELL_KNOWN_PORTS)


def test_lists_hold_what_the_validators_ask_for():
    assert "EU" in _netdb.COUNTRIES and "DE" in _netdb.COUNTRIES and len(_netdb.COUNTRIES) > 240
    assert {"tcp", "TCP", "icmp6", "vrrp"} <= _netdb.PROTOCOL_NAMES, "names and aliases, case-sensitive"
    assert {"http", "ssh", "domain"} <= _netdb.SERVICE_NAMES
    assert {"port", "pass", "table", "max-mss"} <= _netdb.RESERVED_WORDS
