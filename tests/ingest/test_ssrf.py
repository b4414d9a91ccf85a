import asyncio
import ipaddress

import pytest

from ingest.fetch.ssrf import AllowList, GuardedResolver, SsrfRefused, check_url, is_forbidden_ip

FORBIDDEN = [
    "10.1.2.3",
    "172.16.0.1",
    "192.168.1.1",
    "127.0.0.1",
    "169.254.169.254",
    "0.0.0.0",
    "224.0.0.1",
    "240.0.0.1",
    "100.64.0.1",
    "::1",
    "fc00::1",
    "fe80::1",
    "ff02::1",
    "::",
    "::ffff:127.0.0.1",
    "::ffff:10.0.0.1",
]


@pytest.mark.parametrize("address", FORBIDDEN)
def test_private_loopback_link_local_multicast_reserved_are_forbidden(address: str) -> None:
    assert is_forbidden_ip(ipaddress.ip_address(address))


@pytest.mark.parametrize("address", ["93.184.216.34", "2606:2800:220:1:248:1893:25c8:1946", "8.8.8.8"])
def test_public_addresses_pass(address: str) -> None:
    assert not is_forbidden_ip(ipaddress.ip_address(address))


def refused(url: str, allow: list[str] | None = None) -> str | None:
    try:
        asyncio.run(check_url(url, AllowList.parse(allow or [])))
    except SsrfRefused as exc:
        return exc.reason
    return None


def test_metadata_endpoint_and_localhost_names_are_refused() -> None:
    assert refused("http://169.254.169.254/latest/meta-data/") == "private_address"
    assert refused("http://localhost:8080/") == "private_address"
    assert refused("http://[::1]/") == "private_address"


def test_non_http_schemes_are_refused() -> None:
    assert refused("file:///etc/passwd") == "scheme"
    assert refused("gopher://example.org/") == "scheme"


def test_allow_list_accepts_ip_cidr_and_host_only_for_what_it_names() -> None:
    assert refused("http://127.0.0.1:8765/x", ["127.0.0.1"]) is None
    assert refused("http://10.9.8.7/", ["10.0.0.0/8"]) is None
    assert refused("http://localhost/", ["localhost"]) is None
    assert refused("http://127.0.0.2/", ["127.0.0.1"]) == "private_address"
    assert refused("http://192.168.0.1/", ["127.0.0.1"]) == "private_address"


def test_resolver_refuses_a_name_that_resolves_to_loopback_unless_allow_listed() -> None:
    async def resolve(allow: list[str]) -> list[str]:
        resolver = GuardedResolver(AllowList.parse(allow))
        try:
            return [r["host"] for r in await resolver.resolve("localhost", 80)]
        finally:
            await resolver.close()

    with pytest.raises(SsrfRefused) as refused:
        asyncio.run(resolve([]))
    assert refused.value.reason == "private_address"
    assert "127.0.0.1" in asyncio.run(resolve(["localhost"]))
