"""The home town's versions of the sample KB stay what they were when the base was made neutral.

The base articles once carried Musterstadt's own details (its name, links, local rules). Its
links, local law and local places moved into Musterstadt's overlays
(`kb/municipalities/musterstadt/articles/`), so its agents see them as before; general rules were
worded for every town in the base ("Hauptwohnsitz in der Gemeinde"), and Musterstadt's agents
read that wording too. `tests/fixtures/kb/musterstadt-versions.json` holds every article as
Musterstadt's agents saw it before (taken with `snapshot`, without the workflow's fields, which
approvals rewrite); `musterstadt-neutral-wording.json` states what changed: the replacements, and
the fields of each article they were applied to. Every other field is exactly as it was.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from kb.lifecycle import agent_view
from kb.loader import KnowledgeBase, load
from kb.models import WORKFLOW_FIELDS

ROOT = Path(__file__).resolve().parents[3]
FIXTURE = ROOT / "tests" / "fixtures" / "kb" / "musterstadt-versions.json"
WORDING = FIXTURE.with_name("musterstadt-neutral-wording.json")


def snapshot(kb: KnowledgeBase) -> dict[str, dict[str, Any]]:
    """Article id -> the home town's version agents see, as JSON, without workflow fields."""
    agents = agent_view(kb)
    home = agents.home_municipality
    assert home is not None
    ids = sorted(agents.articles.keys() | agents.local_articles(home).keys())
    out = {}
    for article_id in ids:
        version = agents.article_for(article_id, home)
        assert version is not None, article_id
        out[article_id] = version.model_dump(mode="json", exclude=set(WORKFLOW_FIELDS))
    return out


def neutral(value: Any, replacements: list[list[str]]) -> Any:
    """`value` with the stated replacements applied to every text in it, in order."""
    if isinstance(value, str):
        for old, new in replacements:
            value = value.replace(old, new)
        return value
    if isinstance(value, list):
        return [neutral(item, replacements) for item in value]
    if isinstance(value, dict):
        return {key: neutral(item, replacements) for key, item in value.items()}
    return value


def test_musterstadt_hears_what_it_heard_before_but_the_stated_wording() -> None:
    before = json.loads(FIXTURE.read_text(encoding="utf-8"))
    wording = json.loads(WORDING.read_text(encoding="utf-8"))
    after = snapshot(load(ROOT / "kb"))
    assert sorted(after) == sorted(before)
    expected = {
        article_id: {
            name: neutral(value, wording["replacements"])
            if name in wording["fields"].get(article_id, ())
            else value
            for name, value in fields.items()
        }
        for article_id, fields in before.items()
    }
    differing = {
        f"{article_id}.{name}": (expected[article_id].get(name), value)
        for article_id, fields in after.items()
        for name, value in fields.items()
        if expected[article_id].get(name) != value
    }
    assert differing == {}
    assert after == expected


def test_the_stated_wording_changes_a_field_only_where_it_names_musterstadt() -> None:
    before = json.loads(FIXTURE.read_text(encoding="utf-8"))
    wording = json.loads(WORDING.read_text(encoding="utf-8"))
    for article_id, names in wording["fields"].items():
        for name in names:
            old = before[article_id][name]
            assert "Musterstadt" in json.dumps(old, ensure_ascii=False), (article_id, name)
            new = json.dumps(neutral(old, wording["replacements"]), ensure_ascii=False)
            assert "Musterstadt" not in new, (article_id, name)


if __name__ == "__main__":  # regenerate the fixture: python -m tests.unit.kb.test_home_versions
    FIXTURE.write_text(
        json.dumps(snapshot(load(ROOT / "kb")), ensure_ascii=False, indent=1, sort_keys=True)
        + "\n",
        encoding="utf-8",
    )
