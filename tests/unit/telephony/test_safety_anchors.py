"""Every validating pattern matches the whole value: a trailing newline is refused.

`$` matches before a final "\\n" as well as at the end; a header name "Action\\n" passed
check_header_name and put a bare LF into the frame. Patterns now end with \\Z.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from pydantic import TypeAdapter, ValidationError

from kb.models import ID_PATTERN, LEIKA_PATTERN, Id, Office
from telephony.exceptions import UnsafeValueError
from telephony.parse import encode_action
from telephony.safety import (
    check_channel,
    check_extension,
    check_header_name,
    check_header_value,
    check_name,
    check_number,
)
from telephony.sim.actions import _CALLERID, _CITIZEN

CHECKS: list[tuple[Callable[[str], str], str]] = [
    (check_header_name, "Action"),
    (check_extension, "2002"),
    (check_number, "02341234567"),
    (check_channel, "PJSIP/agent1-00000001"),
    (check_name, "service115"),
]


@pytest.mark.parametrize(("check", "good"), CHECKS)
def test_trailing_newline_refused(check: Callable[[str], str], good: str) -> None:
    assert check(good) == good
    for bad in (f"{good}\n", f"{good}\r\n", f"{good}\n\n"):
        with pytest.raises(UnsafeValueError):
            check(bad)


def test_header_name_with_newline_cannot_reach_the_wire() -> None:
    with pytest.raises(UnsafeValueError):
        encode_action("Ping\n", {})
    with pytest.raises(UnsafeValueError):
        encode_action("Ping", {"ActionID\n": "1"})


@pytest.mark.parametrize("value", ["geheim\udcff", "a\x9bb", "a\x85b", "a\u2028b"])
def test_values_that_cannot_be_sent_are_refused_not_crashing(value: str) -> None:
    with pytest.raises(UnsafeValueError):
        check_header_value("Secret", value)
    with pytest.raises(UnsafeValueError):
        encode_action("Login", {"Username": "u", "Secret": value})


def test_simulator_patterns_refuse_a_trailing_newline() -> None:
    assert _CITIZEN.match("Local/0234555@citizen-phone/n")
    assert not _CITIZEN.match("Local/0234555@citizen-phone/n\n")
    assert _CALLERID.match('"Erika" <0234555>')
    assert not _CALLERID.match('"Erika" <0234555>\n')


def test_kb_patterns_refuse_a_trailing_newline() -> None:
    """The KB's patterns are checked by pydantic (Rust regex: `$` is the end of the text)."""
    adapter = TypeAdapter(Id)
    assert adapter.validate_python("hund-anmelden") == "hund-anmelden"
    with pytest.raises(ValidationError):
        adapter.validate_python("hund-anmelden\n")
    base = {"id": "amt", "name": "Amt", "extension": "2001"}
    for field, value in (("extension", "2001\n"), ("phone", "+49 30 1234\n"),
                         ("email", "a@b.de\n"), ("website", "https://x.de\n")):  # fmt: skip
        office = Office.model_validate({**base, field: value})  # strings are stripped first
        assert getattr(office, field) == value.strip()
        with pytest.raises(ValidationError):
            Office.model_validate({**base, field: value.strip() + "\nx"})
    assert ID_PATTERN.endswith("$") and LEIKA_PATTERN.endswith("$")  # used with fullmatch only
