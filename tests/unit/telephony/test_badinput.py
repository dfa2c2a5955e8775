"""Bad input is counted per kind and logged once, then at most once per interval."""

from __future__ import annotations

import logging

import pytest

from telephony.badinput import MAX_KINDS, BadInputLog

log = logging.getLogger("test.badinput")


def test_first_of_a_kind_then_one_summary_per_interval(caplog: pytest.LogCaptureFixture) -> None:
    now = [0.0]
    bad = BadInputLog(log, "PBX 127.0.0.1:5038", interval=60, clock=lambda: now[0])
    with caplog.at_level(logging.WARNING):
        for _ in range(10_000):
            bad.report("malformed frame dropped", "Garbage\x1b[2J")
        bad.report("frame over 65536 bytes dropped")
        assert len(caplog.records) == 2
        assert "'Garbage\\x1b[2J'" in caplog.records[0].getMessage()  # quoted with repr()
        now[0] = 61.0
        bad.report("malformed frame dropped")
        assert caplog.records[-1].getMessage() == (
            "PBX 127.0.0.1:5038: 10000 more of malformed frame dropped (10001 in all)"
        )
    assert bad.counts["malformed frame dropped"] == 10_001 and bad.total == 10_002


def test_a_traceback_only_the_first_time(caplog: pytest.LogCaptureFixture) -> None:
    now = [0.0]
    bad = BadInputLog(log, "src", interval=1, clock=lambda: now[0])
    with caplog.at_level(logging.WARNING):
        for step in range(5):
            now[0] = step * 2.0
            bad.report("handler failed (KeyError)", error=KeyError("x"))
    assert len(caplog.records) == 5
    assert [r.exc_info is not None for r in caplog.records] == [True, False, False, False, False]


def test_kinds_are_bounded() -> None:
    bad = BadInputLog(log, "src")
    for n in range(MAX_KINDS + 50):
        bad.report(f"kind {n}")
    assert len(bad.counts) == MAX_KINDS + 1 and bad.counts["other"] == 50
