"""Strict patterns for values that reach AMI headers."""

from __future__ import annotations

import pytest

from telephony.exceptions import UnsafeValueError
from telephony.safety import check_channel, check_extension, check_number, check_text


@pytest.mark.parametrize("value", ["2001", "115", "*2", "#1"])
def test_extension_accepted(value: str) -> None:
    assert check_extension(value) == value


@pytest.mark.parametrize("value", ["", "20 01", "2001\r\n", "2001;1", "a" * 3, "1" * 21])
def test_extension_refused(value: str) -> None:
    with pytest.raises(UnsafeValueError):
        check_extension(value)


@pytest.mark.parametrize("value", ["02341234567", "+4930115115"])
def test_number_accepted(value: str) -> None:
    assert check_number(value) == value


@pytest.mark.parametrize("value", ["12", "0234-123", "0234\n1", "+", "030 1234"])
def test_number_refused(value: str) -> None:
    with pytest.raises(UnsafeValueError):
        check_number(value)


def test_channel_patterns() -> None:
    assert check_channel("Local/agent2@agents-00000009;1")
    assert check_channel("PJSIP/agent1-0000002a")
    for bad in ["", "Local/x y", "PJSIP/a\r\nAction: Hangup"]:
        with pytest.raises(UnsafeValueError):
            check_channel(bad)


def test_text_refuses_quotes_and_controls() -> None:
    assert check_text("reason", "Nachbearbeitung") == "Nachbearbeitung"
    for bad in ['Pause"', "<x>", "a\tb", "x" * 81]:
        with pytest.raises(UnsafeValueError):
            check_text("reason", bad)
