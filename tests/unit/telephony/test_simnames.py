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


def test_callers_dial_115_or_a_municipalitys_number_and_choose_a_language_there() -> None:
    a, b = CallerFactory(5), CallerFactory(5)
    dialled = [a.dialling() for _ in range(600)]
    assert dialled == [b.dialling() for _ in range(600)]  # seeded
    assert {d for d, _ in dialled} == {"115", "1150002", "1150003"}
    assert all(key == "" for d, key in dialled if d == "115")  # 115 has no language choice
    keys = [key for d, key in dialled if d != "115"]
    assert {"1", "2", "3", "4", ""} == set(keys) and keys.count("1") > len(keys) / 2
    mixed, plain = CallerFactory(5), CallerFactory(5)
    seen = []
    for _ in range(20):  # drawing the numbers dialled leaves the seed's callers as they were
        mixed.dialling()
        seen.append(mixed.caller())
    assert seen == [plain.caller() for _ in range(20)]
