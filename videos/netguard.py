"""The private-address guard: what MVidarr may connect to when it fetches a URL a user gave.

A link a user pastes must never reach the machine MVidarr runs on or the network behind it
(server-side request forgery): loopback, private (RFC 1918), link-local, unique-local,
multicast, reserved and unspecified addresses, and the IPv4-mapped forms of those, are refused
unless the operator's allow-list (``MVIDARR_ALLOWED_PRIVATE_HOSTS``) names the target.

The check is made on the address a socket is about to connect to, after the one DNS lookup
that connection uses, so a name that resolves to a public address for one lookup and to a
private one for the next (DNS rebinding) cannot slip through. ``create_connection`` is the
guarded replacement for ``socket.create_connection``; every client of ours that fetches a
user's URL connects through it. Nothing here imports Django.
"""

from __future__ import annotations

import functools
import ipaddress
import re
import socket
from collections.abc import Iterable
from dataclasses import dataclass

__all__ = ["AddressPolicy", "AddressRefused", "create_connection"]

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
_UNIQUE_LOCAL = ipaddress.ip_network("fc00::/7")
_LABEL = r"[a-z0-9_]([a-z0-9_-]*[a-z0-9])?"
_HOSTNAME = re.compile(rf"(?i){_LABEL}(\.{_LABEL})*\.?")


class AddressRefused(OSError):
    """A connection the guard refused; ``message`` is a sentence a person can act on.

    An ``OSError`` so that HTTP clients treat it as the failed connection it is.
    """

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


@dataclass(frozen=True)
class _Entry:
    """One allow-list entry: a host name, or an address or network, with an optional port."""

    name: str | None
    network: ipaddress.IPv4Network | ipaddress.IPv6Network | None
    port: int | None

    def matches(self, address: IPAddress, port: int, hostname: str) -> bool:
        if self.port is not None and self.port != port:
            return False
        if self.network is not None:
            return address in self.network
        return hostname.rstrip(".").lower() == self.name


def _parse_entry(text: str) -> _Entry:
    """``host``, ``host:port``, ``[v6]:port``, an address, or a network in CIDR notation."""
    entry = text.strip()
    port: int | None = None
    if entry.startswith("["):
        host, _, rest = entry[1:].partition("]")
        if rest:
            if not rest.startswith(":"):
                raise ValueError(entry)
            port = _port(rest[1:], entry)
    elif entry.count(":") == 1:
        host, _, port_text = entry.partition(":")
        port = _port(port_text, entry)
    else:
        host = entry
    if not host:
        raise ValueError(entry)
    try:
        return _Entry(None, ipaddress.ip_network(host, strict=False), port)
    except ValueError:
        pass
    if not _HOSTNAME.fullmatch(host):
        raise ValueError(entry)
    return _Entry(host.rstrip(".").lower(), None, port)


def _port(text: str, entry: str) -> int:
    if not text.isdigit() or not 0 < int(text) < 65536:
        raise ValueError(entry)
    return int(text)


def _private_kind(address: IPAddress) -> str | None:
    """What kind of non-public address this is, in words; None for a public address."""
    if address.is_loopback:
        return "a loopback address"
    if address.is_unspecified:
        return "an unspecified address"
    if address.is_link_local:
        return "a link-local address"
    if address.is_multicast:
        return "a multicast address"
    if address.version == 6 and address in _UNIQUE_LOCAL:
        return "a unique-local address"
    if address.is_reserved:
        return "a reserved address"
    if address.is_private:
        return "a private address"
    if not address.is_global:
        return "a reserved address"
    return None


def _address(ip: str) -> IPAddress:
    address = ipaddress.ip_address(ip.split("%", 1)[0])  # drop an IPv6 zone ("fe80::1%eth0")
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped  # ::ffff:127.0.0.1 is 127.0.0.1
    return address


class AddressPolicy:
    """Which addresses may be connected to: public ones, and the allow-listed private ones."""

    def __init__(self, allowed: Iterable[str] = ()) -> None:
        entries = []
        for text in allowed:
            if not text.strip():
                continue
            try:
                entries.append(_parse_entry(text))
            except ValueError:
                raise ValueError(
                    f"{text.strip()!r} is not a host, host:port or network (CIDR) entry."
                ) from None
        self._entries = tuple(entries)

    def refusal(self, ip: str, port: int, hostname: str) -> str | None:
        """Why connecting to ``ip``:``port`` (for ``hostname``) is refused; None if allowed."""
        address = _address(ip)
        kind = _private_kind(address)
        if kind is None or any(e.matches(address, port, hostname) for e in self._entries):
            return None
        shown = f"[{address}]" if address.version == 6 else str(address)
        if hostname.strip("[]") == str(address) or hostname.strip("[]") == ip:
            what = f"{shown} port {port}: it is {kind}"
        else:
            what = f"{hostname} port {port}: it resolves to {shown}, {kind}"
        return (
            f"MVidarr does not fetch from {what}, and links may only point at public servers. "
            "If that server is on your own network and you trust it, add it to "
            "MVIDARR_ALLOWED_PRIVATE_HOSTS."
        )

    def check_host(self, hostname: str, port: int) -> None:
        """Refuse ``hostname`` if any address it resolves to is refused.

        For connections that go through a proxy, where the proxy makes the last lookup.
        """
        for *_, sockaddr in socket.getaddrinfo(hostname, port, 0, socket.SOCK_STREAM):
            if reason := self.refusal(sockaddr[0], port, hostname):
                raise AddressRefused(reason)


@functools.lru_cache(maxsize=16)
def policy_for(allowed: tuple[str, ...]) -> AddressPolicy:
    """The policy for an allow-list, parsed once per process."""
    return AddressPolicy(allowed)


def create_connection(
    address: tuple[str, int],
    timeout: float | object = socket._GLOBAL_DEFAULT_TIMEOUT,  # type: ignore[attr-defined]
    source_address: tuple[str, int] | None = None,
    *,
    policy: AddressPolicy,
) -> socket.socket:
    """``socket.create_connection`` that connects only to addresses ``policy`` allows.

    Resolves once and checks each address before connecting to it; refused addresses are
    skipped. Raises ``AddressRefused`` when every address was refused.
    """
    host, port = address
    refused: str | None = None
    error: OSError | None = None
    for family, kind, proto, _, sockaddr in socket.getaddrinfo(host, port, 0, socket.SOCK_STREAM):
        if reason := policy.refusal(sockaddr[0], port, host):
            refused = refused or reason
            continue
        sock = socket.socket(family, kind, proto)
        try:
            if timeout is not socket._GLOBAL_DEFAULT_TIMEOUT:  # type: ignore[attr-defined]
                sock.settimeout(timeout)  # type: ignore[arg-type]
            if source_address:
                sock.bind(source_address)
            sock.connect(sockaddr)
            return sock
        except OSError as exc:
            sock.close()
            error = exc
    if error is not None:
        raise error
    raise AddressRefused(refused or f"{host} has no address to connect to.")
