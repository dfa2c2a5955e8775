"""Seeded German callers for the simulator."""

from __future__ import annotations

from telephony.safety import NUMBER
from telephony.sim import CallerFactory


def test_same_seed_same_callers() -> None:
    a, b = CallerFactory(7), CallerFactory(7)
    assert [a.caller() for _ in range(50)] == [b.caller() for _ in range(50)]
    assert CallerFactory(8).caller() != CallerFactory(7).caller()


def test_numbers_are_german_and_names_use_umlauts() -> None:
    factory = CallerFactory(1)
    callers = [factory.caller() for _ in range(300)]
    assert all(NUMBER.match(n) and n.startswith("0") and 10 <= len(n) <= 12 for n, _ in callers)
    assert any(n.startswith(("015", "016", "017")) for n, _ in callers)
    names = " ".join(name for _, name in callers)
    assert any(ch in names for ch in "äöüÄÖÜß")
    assert "ı" in names or "ş" in names


def test_arrival_gaps_follow_the_rate() -> None:
    factory = CallerFactory(3)
    gaps = [factory.gap(rate_per_minute=60) for _ in range(2000)]
    assert 0.9 < sum(gaps) / len(gaps) < 1.1
