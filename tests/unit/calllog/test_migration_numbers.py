"""The migrations' numbering: both dialects alike, every gap a retired number."""

from __future__ import annotations

from calllog.store import RETIRED, gaps_explained, known_versions, latest_version


def test_both_dialects_have_the_same_migrations() -> None:
    assert known_versions("sqlite") == known_versions("postgresql")
    assert latest_version("sqlite") >= 11


def test_every_gap_is_retired_and_no_script_uses_a_retired_number() -> None:
    versions = {version for version, _ in known_versions("sqlite")}
    missing = set(range(1, latest_version("sqlite") + 1)) - versions
    assert missing == set(RETIRED)
    assert not versions & set(RETIRED)


def test_a_gap_is_explained_only_inside_the_versions_given() -> None:
    assert gaps_explained([1, 2, 3, 5]) == [f"0004: stillgelegt ({RETIRED[4]})"]
    assert gaps_explained([5, 6, 7]) == []
    assert gaps_explained([3]) == []
    assert gaps_explained([]) == []
