"""Who may look: localhost without a token (and only under a loopback name), a token beyond."""

from __future__ import annotations

import pytest

from wallboard.access import Access, AccessError, Verdict, host_name, is_loopback

TOKEN = "wand-7Hq2mZ9xK4pL8rT3"


@pytest.mark.parametrize(
    ("host", "loopback"),
    [("127.0.0.1", True), ("127.1.2.3", True), ("localhost", True), ("::1", True),
     ("[::1]", True), ("0.0.0.0", False), ("10.20.0.7", False), ("wand.example", False),
     ("::", False)],
)  # fmt: skip
def test_loopback_addresses(host: str, loopback: bool) -> None:
    assert is_loopback(host) is loopback


@pytest.mark.parametrize("host", ["0.0.0.0", "10.20.0.7", "::", "wand.example"])
def test_listening_beyond_localhost_needs_a_token(host: str) -> None:
    with pytest.raises(AccessError, match="token"):
        Access.for_server(host, None)
    assert Access.for_server(host, TOKEN).token == TOKEN


@pytest.mark.parametrize("token", ["short", "x" * 15, "mit Leerzeichen 1234567", "ä" * 20])
def test_unusable_tokens_are_refused_without_quoting_them(token: str) -> None:
    with pytest.raises(AccessError) as raised:
        Access.for_server("0.0.0.0", token)
    assert token not in str(raised.value)


@pytest.mark.parametrize(
    ("header", "name"),
    [("127.0.0.1:8115", "127.0.0.1"), ("LOCALHOST:8115", "localhost"), ("localhost", "localhost"),
     ("[::1]:8115", "[::1]"), ("evil.example:8115", "evil.example"), ("", "")],
)  # fmt: skip
def test_host_names_from_host_headers(header: str, name: str) -> None:
    assert host_name(header) == name


def test_without_a_token_only_loopback_names_are_answered() -> None:
    rule = Access.for_server("127.0.0.1", None)
    for host in ("127.0.0.1:8115", "localhost:8115", "[::1]:8115", "localhost"):
        assert rule.verdict(host=host) is Verdict.ALLOW
    for host in ("evil.example:8115", "", "127.0.0.1.evil.example:8115"):
        assert rule.verdict(host=host) is Verdict.WRONG_HOST  # DNS rebinding


def test_with_a_token_every_request_needs_it() -> None:
    rule = Access.for_server("0.0.0.0", TOKEN)
    assert rule.verdict(host="wand:8115") is Verdict.REFUSE
    assert rule.verdict(host="127.0.0.1:8115") is Verdict.REFUSE  # localhost too
    assert rule.verdict(host="wand", authorization=f"Bearer {TOKEN}") is Verdict.ALLOW
    assert rule.verdict(host="wand", authorization=f"bearer  {TOKEN} ") is Verdict.ALLOW
    assert rule.verdict(host="wand", authorization=f"Basic {TOKEN}") is Verdict.REFUSE
    assert rule.verdict(host="wand", authorization=f"Bearer {TOKEN}x") is Verdict.REFUSE
    assert rule.verdict(host="wand", query_token=TOKEN) is Verdict.SET_COOKIE
    assert rule.verdict(host="wand", query_token=TOKEN[:-1]) is Verdict.REFUSE
    assert rule.verdict(host="wand", cookie=rule.cookie_value()) is Verdict.ALLOW
    assert rule.verdict(host="wand", cookie=TOKEN) is Verdict.REFUSE


def test_the_cookie_is_derived_from_the_token_not_the_token() -> None:
    rule = Access.for_server("0.0.0.0", TOKEN)
    other = Access.for_server("0.0.0.0", TOKEN + "2")
    assert TOKEN not in rule.cookie_value()
    assert rule.cookie_value() != other.cookie_value()
    assert rule.cookie_value() == Access.for_server("0.0.0.0", TOKEN).cookie_value()
