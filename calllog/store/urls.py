"""Store URLs in messages: the password never appears, however the URL is mistyped (pure).

A store URL may carry a password (`postgresql://user:secret@host/db` or `?password=`).
Errors about the URL quote it, and libpq's own messages quote pieces of it ("invalid
percent-encoded token", "unexpected spaces found in ..."), so every message that may
contain the URL goes through `scrub` before it leaves the call log.
"""

from __future__ import annotations

import re
from urllib.parse import unquote

#: What a hidden password shows as.
MASK = "***"
# user:password@ in the authority part; the password runs to the last @ before the path.
_USERINFO = re.compile(r"^(?P<head>[^:/?#]*:/*[^:/?#@]*:)(?P<pw>[^/?#]*)@", re.DOTALL)
_PARAM = re.compile(r"(?P<head>(?:^|[?&\s])password=)(?P<pw>[^&\s]*)", re.IGNORECASE)


def secrets_in(url: str) -> list[str]:
    """The password(s) in `url`, raw and percent-decoded, longest first."""
    found = [m.group("pw") for m in (_USERINFO.match(url), *_PARAM.finditer(url)) if m]
    variants = {v for pw in found if pw for v in (pw, unquote(pw))}
    return sorted((v for v in variants if v), key=len, reverse=True)


def redact_url(url: str) -> str:
    """`url` with its password(s) replaced by MASK."""
    url = _USERINFO.sub(lambda m: f"{m.group('head')}{MASK}@", url, count=1)
    return _PARAM.sub(lambda m: f"{m.group('head')}{MASK}", url)


def scrub(message: str, url: str) -> str:
    """`message` with the URL redacted and any password of it masked wherever it occurs."""
    message = message.replace(url, redact_url(url))
    for secret in secrets_in(url):
        message = message.replace(secret, MASK)
    return message
