"""The core field types over HTTPS, rule by rule against Base/FieldTypes/*.php of 26.7.2 (probe service)."""

from __future__ import annotations

import pytest

pytest_plugins = ["_probes"]  # the psim/papi fixtures

BASE = "/api/sim/probe"


def add(papi, **fields) -> dict:
    return papi.post(f"{BASE}/addItem", json={"probe": fields}).json()


def errors(papi, **fields) -> dict:
    body = add(papi, **fields)
    assert body["result"] == "failed", body
    return {key.split(".", 1)[1]: msg for key, msg in body["validations"].items()}


def saved(psim, papi, **fields) -> dict[str, str]:
    body = add(papi, **fields)
    assert body["result"] == "saved", body
    return psim.state()["config"]["sim.probe"][body["uuid"]]


def test_relation_message_is_base_list_fields(psim, papi):
    """ModelRelationField.php has no message of its own: BaseListField.php's "Option [%s] not in
    list." applies, %s empty for a single select and the bad item for each one of a multi-select."""
    cat = papi.post("/api/firewall/category/addItem", json={"category": {"name": "web"}}).json()["uuid"]
    assert errors(papi, relation="nope") == {"relation": "Option [] not in list."}
    assert errors(papi, relations=f"{cat},nope,,gone") == {
        "relations": ["Option [nope] not in list.", "Option [] not in list.", "Option [gone] not in list."]
    }
    assert saved(psim, papi, relation=cat, relations=cat)["relation"] == cat


@pytest.mark.parametrize("bad", ["10.0.0.0/255.0.0.0", "fe80::1%em0", "10.0.0.0/33", "10.0.0.0/+8", "::/129", "any1"])
def test_network_rejects_what_filter_var_rejects(papi, bad):
    """NetworkField.php: the mask must be ctype_digit and in range, the address pass filter_var()
    (no dotted netmask, no IPv6 scope id)."""
    assert errors(papi, network=bad) == {"network": "Please specify a valid network segment or IP address."}


def test_network_is_trimmed_and_lowercased_and_any_passes(psim, papi):
    """NetworkField.php setValue(): trim(strtolower()); `any` needs no check while WildcardEnabled."""
    assert saved(psim, papi, network="  ANY ")["network"] == "any"
    assert saved(psim, papi, network="FE80::1/64\n")["network"] == "fe80::1/64"


def test_network_list_family_and_strict(psim, papi):
    """NetworkField.php with AsList, AddressFamily ipv4 and Strict: every entry is checked, host
    bits fail (Util::isSubnetStrict), and `any` is only special as the whole value."""
    assert saved(psim, papi, networks="10.0.0.0/8,192.168.1.0/24")["networks"] == "10.0.0.0/8,192.168.1.0/24"
    for bad in ("10.0.0.1/8", "10.0.0.0/8,2001:db8::/32", "any,10.0.0.0/8"):
        assert errors(papi, networks=bad) == {"networks": "Please specify a valid network segment or IP address."}
    uuid = add(papi, networks="10.0.0.0/8,172.16.0.0/12")["uuid"]
    assert papi.get(f"{BASE}/getItem/{uuid}").json()["probe"]["networks"] == {
        "10.0.0.0/8": {"value": "10.0.0.0/8", "selected": 1},
        "172.16.0.0/12": {"value": "172.16.0.0/12", "selected": 1},
    }


def test_hostname_follows_filter_validate_domain(psim, papi):
    """HostnameField.php: FILTER_VALIDATE_DOMAIN ignores one trailing dot; FILTER_FLAG_HOSTNAME
    allows letters, digits and inner hyphens only; the value is stored trimmed."""
    assert saved(psim, papi, host=" host.example.com. ")["host"] == "host.example.com."
    assert saved(psim, papi, host="192.168.1.1")["host"] == "192.168.1.1"
    for bad in ("_srv.example.com", "a b", "-x.example.com", "x..example.com"):
        assert errors(papi, host=bad) == {"host": f"[{bad}] is not a valid IP address or hostname."}


def test_dns_name_accepts_any_label_but_no_address_or_blanks(psim, papi):
    """HostnameField.php with IsDNSName and IpAllowed=N: any label text passes the domain check,
    but an address, white space, a slash or a stray `*` fails."""
    assert saved(psim, papi, dnsname="_sip._tcp.example.com")["dnsname"] == "_sip._tcp.example.com"
    for bad in ("10.0.0.1", "a\tb", "a/b", "a*b"):
        assert errors(papi, dnsname=bad) == {"dnsname": f"[{bad}] is not a valid IP address or hostname."}


def test_hostname_list_wildcards_and_inherited_verdict(psim, papi):
    """HostnameField.php with AsList: `*`, `*.name`, `@` and `@.name` as switched on; the message
    names the first bad entry, and since the verdict is set once before the loop an unrecognised
    entry after a good one passes."""
    assert (
        saved(psim, papi, hosts="*,*.example.com,@,@.example.com,www")["hosts"] == "*,*.example.com,@,@.example.com,www"
    )
    assert errors(papi, hosts="-bad,www") == {"hosts": "[-bad] is not a valid IP address or hostname."}
    assert saved(psim, papi, hosts="www,-bad")["hosts"] == "www,-bad"


def test_description_counts_bytes(psim, papi):
    """DescriptionField.php: `/^(.){1,255}$/` without /u counts UTF-8 bytes, not characters."""
    assert saved(psim, papi, descr="é" * 127 + "a")["descr"] == "é" * 127 + "a"
    assert errors(papi, descr="é" * 128) == {"descr": "Description should be a string between 1 and 255 characters."}


def test_description_newlines_and_control_characters(psim, papi):
    """DescriptionField.php on TextField.php: a newline fails the newline rule and, unless it is
    the last character (`$` matches before a final newline), the length pattern too; NUL, VT and
    FF are "special"; other control characters pass."""
    assert errors(papi, descr="a\nb") == {
        "descr": ["Text may not contain newlines.", "Description should be a string between 1 and 255 characters."]
    }
    assert errors(papi, descr="ab\n") == {"descr": "Text may not contain newlines."}
    assert errors(papi, descr="a\fb") == {"descr": "Text may not contain special control characters."}
    assert saved(psim, papi, descr="a\x01b")["descr"] == "a\x01b"


@pytest.mark.parametrize(
    "value, message",
    [
        ("a b", "Text may not contain spaces or tabs."),
        ("a\tb", "Text may not contain spaces or tabs."),
        ("a\rb", "Text may not contain newlines."),
        ("a\vb", "Text may not contain special control characters."),
    ],
)
def test_strict_text_reports_the_first_rule_broken(papi, value, message):
    """StrictTextField.php: TextField.php's callback checks spaces, newlines, then NUL/VT/FF."""
    assert errors(papi, strict=value) == {"strict": message}


def test_boolean_is_a_regex_with_loose_compare(psim, papi):
    """BooleanField.php: Regex.php compares the match with `!=`, so "1\\n" (numeric, like "1") passes."""
    assert saved(psim, papi, flag="1\n")["flag"] == "1\n"
    for bad in (" 1", "2", "true"):
        assert errors(papi, flag=bad) == {"flag": "Value should be a boolean (0,1)."}


def test_integer_is_is_numeric_and_filter_var(psim, papi):
    """IntegerField.php: MinMaxValidator (is_numeric) and IntegerValidator (FILTER_VALIDATE_INT:
    a sign and surrounding blanks pass, leading zeros and 64-bit overflow do not)."""
    for good in ("+5", " 7", "-0"):
        assert saved(psim, papi, count=good)["count"] == good
    for bad in ("05", "1e3", "5.0", "9223372036854775808", "0x1A"):
        assert errors(papi, count=bad) == {"count": "Invalid integer value."}


def test_numeric_needs_is_numeric_and_numericality(psim, papi):
    """NumericField.php: MinMaxValidator (is_numeric, ±99999999999999) and Numericality.php's pattern."""
    for good in ("1.5", "-3", "5\n"):
        assert saved(psim, papi, amount=good)["amount"] == good
    for bad in ("1e5", " 5", "+5", "1,5", "100000000000000"):
        assert errors(papi, amount=bad) == {"amount": "Invalid numeric value."}


def test_csv_list_mask_per_item_names_the_entry(psim, papi):
    """CSVListField.php with MaskPerItem: '"<entry>" is invalid. <message>' for the first bad entry."""
    assert errors(papi, words="abc,Def,G") == {"words": '"Def" is invalid. Lower-case words only.'}
    uuid = add(papi, words="abc,de")["uuid"]
    assert papi.get(f"{BASE}/getItem/{uuid}").json()["probe"]["words"] == {
        "abc": {"value": "abc", "selected": 1},
        "de": {"value": "de", "selected": 1},
    }


def test_masks_without_u_work_on_ascii_bytes(psim, papi):
    """Regex.php on a `/.../i` or `/.../` mask: PCRE without /u sees bytes and folds ASCII case
    only (the Kelvin sign is no K); with /u it sees characters."""
    assert saved(psim, papi, letters="AbC")["letters"] == "AbC"
    assert errors(papi, letters="\u212a") == {"letters": "One to three letters."}
    assert saved(psim, papi, bytes3="éa")["bytes3"] == "éa"
    assert errors(papi, bytes3="éé") == {"bytes3": "Text does not validate."}
    assert saved(psim, papi, chars3="ééé")["chars3"] == "ééé"


def test_change_case_is_ascii_only(psim, papi):
    """BaseField.php applyChangeCase(): strtoupper() leaves non-ASCII letters alone (PHP 8.2+)."""
    assert saved(psim, papi, code="straße ä")["code"] == "STRAßE ä"


def test_message_with_two_placeholders_is_not_formatted(papi):
    """BaseField.php getValidationMessage(): sprintf() only when the text holds exactly one %s."""
    assert errors(papi, twice="y") == {"twice": "[%s] or [%s]"}


def test_email_field(psim, papi):
    """EmailField.php: /^[a-z0-9._%+-]+@[a-z0-9.-]+\\.[a-z]{2,}$/i."""
    assert saved(psim, papi, mail="First.Last+tag@Example.ORG")["mail"] == "First.Last+tag@Example.ORG"
    for bad in ("a@b.c", "a b@example.org", "@example.org", "a@\u212aexample.org"):
        assert errors(papi, mail=bad) == {"mail": "Email address is invalid."}


@pytest.mark.parametrize(
    "url",
    [
        "https://www.example.com/path?q=1#top",
        "http://[2001:db8::1]:8080/",
        "mailto:someone@example.com",
        "ftp://user:pw@files.example.com/x",
        "file:///etc/hosts",
    ],
)
def test_url_field_accepts(psim, papi, url):
    """UrlField.php: FILTER_VALIDATE_URL (a scheme; mailto, news and file need no host)."""
    assert saved(psim, papi, url=url)["url"] == url


@pytest.mark.parametrize(
    "url",
    [
        "http://exa_mple.com/",
        "www.example.com",
        "http://example.com:123456/",
        "https://exa mple.com",
        "http://",
        "foo:bar",
    ],
)
def test_url_field_rejects(papi, url):
    """UrlField.php: FILTER_VALIDATE_URL; http(s) hosts must be host names (FILTER_FLAG_HOSTNAME)."""
    assert errors(papi, url=url) == {"url": "Invalid URL."}


def test_option_rendering(papi):
    """BaseListField.php getNodeOptions() through json_encode(): option keys 0..n-1 make a JSON list,
    no options an empty list; OptionField.php labels an empty option with its key."""
    probe = papi.get(f"{BASE}/getItem").json()["probe"]
    assert probe["level"] == [{"value": "Zero", "selected": 1}, {"value": "One", "selected": 0}]
    assert probe["relations"] == []
    assert probe["kind"]["a"] == {"value": "a", "selected": 0}
    assert probe["relation"] == {"": {"value": "None", "selected": 1}}


def test_interface_field_filters(psim, papi):
    """InterfaceField.php: `<filters>` match the interface's config tags; labels are descriptions."""
    probe = papi.get(f"{BASE}/getItem").json()["probe"]
    assert list(probe["iface"]) == ["", "lan", "wan"]
    assert probe["iface"]["wan"] == {"value": "WAN", "selected": 0}
    assert saved(psim, papi, iface="wan")["iface"] == "wan"
    assert errors(papi, iface="opt1") == {"iface": "Option [] not in list."}
