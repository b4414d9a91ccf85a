"""SSRF guard: refuse URLs whose host resolves to an address we must never connect to.

Checked before connecting and again on every redirect hop (``client.py`` follows redirects itself).
The operator can allow-list hosts, IPs or CIDRs (``settings.fetch_allow_hosts``); tests and the
demo allow-list ``127.0.0.1``. The HTTP client resolves the name again when it connects; its resolver
(``GuardedResolver``) applies the same rule to those addresses, so a DNS server that answers a public
address to the check and a private one to the connection (rebinding) is refused too.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from aiohttp.abc import AbstractResolver
from aiohttp.resolver import ThreadedResolver

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network

ALLOWED_SCHEMES = frozenset({"http", "https"})


class SsrfRefused(Exception):
    """The URL must not be fetched; ``reason`` is short and machine-friendly."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(f"{reason}: {detail}")
        self.reason = reason
        self.detail = detail


def is_forbidden_ip(ip: IPAddress) -> bool:
    """Private, loopback, link-local, multicast, reserved or unspecified (v4, v6, v4-mapped v6)."""
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return (
        ip.is_private
        or ip.is_loopback
        or ip.is_link_local
        or ip.is_multicast
        or ip.is_reserved
        or ip.is_unspecified
        or not ip.is_global
    )


@dataclass(frozen=True)
class AllowList:
    """Operator exceptions to the guard: exact host names and IP networks."""

    hosts: frozenset[str]
    networks: tuple[IPNetwork, ...]

    @classmethod
    def parse(cls, entries: Iterable[str]) -> AllowList:
        hosts: set[str] = set()
        networks: list[IPNetwork] = []
        for entry in entries:
            entry = entry.strip().lower()
            if not entry:
                continue
            try:
                networks.append(ipaddress.ip_network(entry, strict=False))
            except ValueError:
                hosts.add(entry.rstrip("."))
        return cls(frozenset(hosts), tuple(networks))

    def allows_host(self, host: str) -> bool:
        return host.lower().rstrip(".") in self.hosts

    def allows_ip(self, ip: IPAddress) -> bool:
        return any(ip.version == net.version and ip in net for net in self.networks)


async def resolve(host: str, port: int) -> list[IPAddress]:
    """All addresses the host resolves to (an IP literal resolves to itself)."""
    try:
        return [ipaddress.ip_address(host)]
    except ValueError:
        pass
    loop = asyncio.get_running_loop()
    infos = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return [ipaddress.ip_address(info[4][0].split("%", 1)[0]) for info in infos]


async def check_url(url: str, allow: AllowList) -> None:
    """Raise ``SsrfRefused`` unless every address of the URL's host is public or allow-listed."""
    parts = urlsplit(url)
    if parts.scheme not in ALLOWED_SCHEMES:
        raise SsrfRefused("scheme", f"{parts.scheme!r} is not http(s): {url}")
    host = parts.hostname
    if not host:
        raise SsrfRefused("no_host", url)
    if allow.allows_host(host):
        return
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError as exc:
        raise SsrfRefused("bad_port", f"{url}: {exc}") from exc
    refuse_forbidden(host, await resolve(host, port), allow)  # a DNS failure (OSError) is a fetch error


def refuse_forbidden(host: str, addresses: Iterable[IPAddress], allow: AllowList) -> None:
    """Raise ``SsrfRefused`` if any address is forbidden and neither it nor the host is allow-listed."""
    if allow.allows_host(host):
        return
    for ip in addresses:
        if is_forbidden_ip(ip) and not allow.allows_ip(ip):
            raise SsrfRefused("private_address", f"{host} resolves to {ip}, not allow-listed")


class GuardedResolver(AbstractResolver):
    """The HTTP client's resolver: the system's answer, refused as a whole if any address is forbidden."""

    def __init__(self, allow: AllowList) -> None:
        self._allow = allow
        self._inner = ThreadedResolver()

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[Any]:
        results = await self._inner.resolve(host, port, family)
        addresses = (ipaddress.ip_address(r["host"].split("%", 1)[0]) for r in results)
        refuse_forbidden(host, addresses, self._allow)
        return results

    async def close(self) -> None:
        await self._inner.close()
