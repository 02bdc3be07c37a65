"""The private-address guard's rule, and its connect function against real sockets."""

from __future__ import annotations

import socket
import threading

import pytest

from videos.netguard import AddressPolicy, AddressRefused, create_connection

REFUSED = [
    ("127.0.0.1", "a loopback address"),
    ("127.8.9.10", "a loopback address"),
    ("::1", "a loopback address"),
    ("::ffff:127.0.0.1", "a loopback address"),
    ("0.0.0.0", "an unspecified address"),
    ("::", "an unspecified address"),
    ("10.1.2.3", "a private address"),
    ("172.16.0.9", "a private address"),
    ("192.168.1.20", "a private address"),
    ("::ffff:192.168.1.20", "a private address"),
    ("169.254.169.254", "a link-local address"),
    ("fe80::1%eth0", "a link-local address"),
    ("fd12:3456::1", "a unique-local address"),
    ("224.0.0.251", "a multicast address"),
    ("ff02::1", "a multicast address"),
    ("240.0.0.1", "a reserved address"),
    ("100.64.0.1", "a reserved address"),
]


@pytest.mark.parametrize(("ip", "kind"), REFUSED)
def test_a_non_public_address_is_refused_with_a_sentence_that_names_the_setting(ip, kind):
    reason = AddressPolicy().refusal(ip, 80, "example.test")

    assert reason is not None and kind in reason
    assert "MVIDARR_ALLOWED_PRIVATE_HOSTS" in reason


@pytest.mark.parametrize("ip", ["93.184.215.14", "2606:2800:21f:cb07:6820:80da:af6b:8b2c"])
def test_a_public_address_is_allowed(ip):
    assert AddressPolicy().refusal(ip, 443, "example.com") is None


def test_an_allow_list_entry_with_a_port_allows_that_port_only():
    policy = AddressPolicy(["127.0.0.1:8096"])

    assert policy.refusal("127.0.0.1", 8096, "127.0.0.1") is None
    assert policy.refusal("127.0.0.1", 8097, "127.0.0.1") is not None
    assert policy.refusal("127.0.0.2", 8096, "127.0.0.2") is not None


def test_an_allow_list_entry_without_a_port_allows_every_port():
    policy = AddressPolicy(["192.168.1.20", "[::1]:9000", "10.0.0.0/8", "nas.local:8096"])

    assert policy.refusal("192.168.1.20", 1, "x") is None
    assert policy.refusal("::ffff:192.168.1.20", 65535, "x") is None
    assert policy.refusal("10.200.0.1", 80, "x") is None
    assert policy.refusal("::1", 9000, "::1") is None
    assert policy.refusal("::1", 9001, "::1") is not None
    # A name entry matches the name asked for, whatever address it resolves to.
    assert policy.refusal("192.168.1.30", 8096, "NAS.local") is None
    assert policy.refusal("192.168.1.30", 8096, "other.local") is not None


@pytest.mark.parametrize("entry", ["http://nas", "a b", "1.2.3.4:99999", "nas:", "10.0.0.0/40"])
def test_a_malformed_allow_list_entry_is_refused(entry):
    with pytest.raises(ValueError, match="not a host"):
        AddressPolicy([entry])


@pytest.fixture
def listener():
    """A loopback TCP listener that counts the connections it accepts."""
    server = socket.create_server(("127.0.0.1", 0))
    accepted: list[socket.socket] = []

    def accept() -> None:
        while True:
            try:
                conn, _ = server.accept()
            except OSError:
                return
            accepted.append(conn)

    threading.Thread(target=accept, daemon=True).start()
    yield server.getsockname()[1], accepted
    server.close()
    for conn in accepted:
        conn.close()


def test_create_connection_refuses_a_loopback_listener_before_connecting(listener):
    port, accepted = listener

    with pytest.raises(AddressRefused, match=f"127.0.0.1 port {port}: it is a loopback"):
        create_connection(("127.0.0.1", port), 5, policy=AddressPolicy())
    with pytest.raises(AddressRefused, match=r"it resolves to 127\.0\.0\.1, a loopback address"):
        create_connection(("localhost", port), 5, policy=AddressPolicy())

    assert accepted == []


def test_create_connection_connects_to_an_allowed_address(listener):
    port, _ = listener

    sock = create_connection(("localhost", port), 5, policy=AddressPolicy([f"127.0.0.1:{port}"]))

    assert sock.getpeername() == ("127.0.0.1", port)
    sock.close()
