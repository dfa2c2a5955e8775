"""Checks for every value placed into an AMI header (header injection, strict patterns)."""

from __future__ import annotations

import re

from telephony.exceptions import UnsafeValueError

# Every pattern ends with \Z, not $: `$` also matches before a trailing newline, so
# "Action\n" would pass as a header name and inject a bare LF into the frame.
#: C0 and C1 controls, DEL, line separators and lone surrogates (unencodable as UTF-8).
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")
_HEADER_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_-]{0,63}\Z")
#: Dialplan extensions the console may transfer to (digits, optionally * or #).
EXTENSION = re.compile(r"^[0-9*#]{1,20}\Z")
#: Telephone numbers for call-backs: national or international digits.
NUMBER = re.compile(r"^\+?[0-9]{3,20}\Z")
#: Channel and interface names as Asterisk prints them (PJSIP/x-0001, Local/a@b-0001;1).
CHANNEL = re.compile(r"^[A-Za-z][A-Za-z0-9_.@/;:+#*=-]{0,127}\Z")
#: Dialplan contexts and queue names.
NAME = re.compile(r"^[A-Za-z0-9_.-]{1,80}\Z")
_MAX_TEXT = 80


def check_header_name(name: str) -> str:
    """Return `name` if it is a plain AMI header name, else raise UnsafeValueError."""
    if not _HEADER_NAME.match(name):
        raise UnsafeValueError(f"invalid AMI header name {name!r}")
    return name


def check_header_value(name: str, value: str) -> str:
    """Refuse CR, LF, every other control character and lone surrogates in a header value."""
    if _CONTROL.search(value):
        raise UnsafeValueError(f"control character in AMI header {name!r} refused")
    return value


def _match(kind: str, pattern: re.Pattern[str], value: str) -> str:
    check_header_value(kind, value)
    if not pattern.match(value):
        raise UnsafeValueError(f"invalid {kind} {value!r}")
    return value


def check_extension(value: str) -> str:
    """An extension to transfer to, e.g. `2002`."""
    return _match("extension", EXTENSION, value)


def check_number(value: str) -> str:
    """A telephone number to call back, e.g. `02341234567` or `+4930115`."""
    return _match("number", NUMBER, value)


def check_channel(value: str) -> str:
    """A channel or queue member interface name."""
    return _match("channel", CHANNEL, value)


def check_name(value: str) -> str:
    """A queue or dialplan context name."""
    return _match("name", NAME, value)


def check_text(kind: str, value: str) -> str:
    """Free text such as a pause reason or caller name: no controls, no quotes or angle brackets."""
    check_header_value(kind, value)
    if len(value) > _MAX_TEXT or any(c in value for c in '"<>'):
        raise UnsafeValueError(f"invalid {kind} {value!r}")
    return value
