"""PHP's validators as OPNsense's field types use them (_php), on the edge cases a user can hit."""

from __future__ import annotations

import pytest

from ansible_collections.opnform.opnsense.plugins.module_utils._php import (
    ctype_digit,
    filter_domain,
    filter_int,
    filter_ip,
    in_range,
    is_numeric,
    is_subnet,
    mask_validates,
    message_for,
)


@pytest.mark.parametrize(
    "value,ok",
    [("0", True), ("42", True), ("-7", True), ("+7", True), (" 42 ", True), ("042", False), ("4.0", False),
     ("1_000", False), ("", False), ("9223372036854775808", False), ("0x10", False)],
)  # fmt: skip
def test_filter_int(value, ok):
    assert filter_int(value) is ok


def test_filter_int_range():
    assert filter_int("65535", 1, 65535) and not filter_int("65536", 1, 65535) and not filter_int("0", 1, 65535)


@pytest.mark.parametrize(
    "value,ok",
    [("10.0.0.1", True), ("::1", True), ("fe80::1%em0", False), (" 10.0.0.1", False), ("10.0.0.300", False),
     ("010.0.0.1", False), ("10.0.0.0/24", False), ("", False)],
)  # fmt: skip
def test_filter_ip(value, ok):
    assert filter_ip(value) is ok


def test_filter_ip_family_flags():
    assert filter_ip("10.0.0.1", v6=False) and not filter_ip("10.0.0.1", v4=False)
    assert filter_ip("::1", v4=False) and not filter_ip("::1", v6=False)


@pytest.mark.parametrize(
    "value,ok", [("10.0.0.0/8", True), ("fd00::/64", True), ("10.0.0.0/33", False), ("::/129", False),
                 ("10.0.0.0/", False), ("10.0.0.0/8/8", False), ("lan/24", False)],
)  # fmt: skip
def test_is_subnet(value, ok):
    assert is_subnet(value) is ok


def test_numbers():
    assert ctype_digit("123") and not ctype_digit("") and not ctype_digit("-1")
    assert is_numeric("1.5") and is_numeric(" 2e3 ") and not is_numeric("1,5") and not is_numeric("abc")
    assert in_range("5", 1, 10) and not in_range("11", 1, 10) and not in_range("x", None, None)


@pytest.mark.parametrize(
    "value,hostname,ok",
    [("example.com", True, True), ("example.com.", True, True), ("-bad.com", True, False), ("a_b.com", True, False),
     ("a_b.com", False, True), (".com", False, False), ("a..b", False, False), ("x" * 64 + ".com", False, False)],
)  # fmt: skip
def test_filter_domain(value, hostname, ok):
    assert filter_domain(value, hostname) is ok


def test_masks_match_the_whole_value_by_their_first_match():
    assert mask_validates("/[^,]+/", "web") and not mask_validates("/[^,]+/", "web,dmz")
    assert mask_validates("/^([0-9a-fA-F]){6,6}$/u", "ff00AA") and not mask_validates(
        "/^([0-9a-fA-F]){6,6}$/u", "#ff00aa"
    )
    assert mask_validates(r"^[0-9]+(-[0-9]+)?", "1-5") and not mask_validates(r"^[0-9]+(-[0-9]+)?", "1-5x")
    assert mask_validates("/^abc$/i", "ABC")


def test_message_for_fills_a_single_placeholder_only():
    assert message_for("Option [%s] not in list.", "x") == "Option [x] not in list."
    assert message_for("Option [%s] not in list.") == "Option [] not in list."
    assert message_for("%s and %s") == "%s and %s"
