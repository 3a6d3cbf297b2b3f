"""The simulator starts, speaks HTTPS with its own CA, and answers the connectivity check."""


def test_firmware_status_over_verified_tls(api):
    r = api.get("/api/core/firmware/status")
    assert r.status_code == 200
    assert r.json()["product"]["product_version"] == "26.7.2"
