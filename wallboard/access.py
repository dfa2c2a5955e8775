"""Who may look at the wallboard (pure): localhost by default, a token for anything wider.

Without a token the server must listen on a loopback address, and it answers only requests
that name it by a loopback host (a web page elsewhere cannot reach it through a DNS
rebinding trick). With a token every request needs it: as `Authorization: Bearer TOKEN`
(scripts), or once as `?token=TOKEN` in the wall browser's address, after which a cookie
carries a value derived from it (HttpOnly, SameSite=Strict) and the address loses the
token. Tokens are compared in constant time.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import re
from dataclasses import dataclass
from enum import Enum

#: The cookie that carries the wall browser's access.
COOKIE = "lotse_wallboard"
#: A token has at least this many characters.
MIN_TOKEN_LENGTH = 16
_TOKEN_CHARS = re.compile(r"[A-Za-z0-9._~-]+")


class AccessError(ValueError):
    """The settings would expose the wallboard without a token, or the token is unusable."""


def is_loopback(host: str) -> bool:
    """True for `localhost` and loopback addresses (127.0.0.0/8, ::1)."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


class Verdict(Enum):
    """What to do with a request."""

    ALLOW = "allow"
    SET_COOKIE = "set_cookie"
    """The right token came in the address: set the cookie and redirect to the bare page."""
    REFUSE = "refuse"
    """No or a wrong token: 401."""
    WRONG_HOST = "wrong_host"
    """A loopback-only server asked for by another name: 421/403."""


@dataclass(frozen=True)
class Access:
    """The access rule of one server."""

    token: str | None = None
    local_hosts: frozenset[str] = frozenset()
    """Host names (without port) a server without a token answers to: its loopback names."""

    @classmethod
    def for_server(cls, host: str, token: str | None) -> Access:
        """The rule for a server listening on `host`; AccessError when that is unsafe."""
        if token is not None:
            check_token(token)
            return cls(token=token)
        if not is_loopback(host):
            raise AccessError(
                f"{host} is reachable from other computers: set a token"
                " (wallboard.token or LOTSE_WALLBOARD__TOKEN), see SECURITY.md"
            )
        own = f"[{host}]" if ":" in host else host
        return cls(local_hosts=frozenset({"127.0.0.1", "localhost", "[::1]", own.lower()}))

    def cookie_value(self) -> str:
        """What the cookie carries: derived from the token, not the token itself."""
        assert self.token is not None
        return hmac.new(self.token.encode(), b"lotse-wallboard-cookie", hashlib.sha256).hexdigest()

    def verdict(
        self,
        *,
        host: str,
        authorization: str = "",
        cookie: str = "",
        query_token: str = "",
    ) -> Verdict:
        """Decide about one request from its Host header, credentials and `?token=`."""
        if self.token is None:
            return Verdict.ALLOW if host_name(host) in self.local_hosts else Verdict.WRONG_HOST
        scheme, _, presented = authorization.partition(" ")
        if scheme.lower() == "bearer" and _same(presented.strip(), self.token):
            return Verdict.ALLOW
        if cookie and _same(cookie, self.cookie_value()):
            return Verdict.ALLOW
        if query_token and _same(query_token, self.token):
            return Verdict.SET_COOKIE
        return Verdict.REFUSE


def host_name(header: str) -> str:
    """The name in a Host header, without the port, lower case (`[::1]` keeps brackets)."""
    header = header.strip().lower()
    if header.startswith("["):
        return header[: header.find("]") + 1] if "]" in header else header
    return header.rsplit(":", 1)[0]


def check_token(token: str) -> str:
    """The token if usable, else AccessError saying why (never quoting it)."""
    if len(token) < MIN_TOKEN_LENGTH:
        raise AccessError(f"the wallboard token must have at least {MIN_TOKEN_LENGTH} characters")
    if not _TOKEN_CHARS.fullmatch(token):
        raise AccessError("the wallboard token may contain only A-Z, a-z, 0-9 and . _ ~ -")
    return token


def _same(presented: str, expected: str) -> bool:
    return hmac.compare_digest(presented.encode(), expected.encode())
