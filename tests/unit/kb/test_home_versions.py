"""The home town's versions of the sample KB stay what they were when the base was made neutral.

The base articles once carried Musterstadt's own details (its name, links, local rules); they
were moved into Musterstadt's overlays and the base worded for every town. What Musterstadt's
agents see must not have changed: `tests/fixtures/kb/musterstadt-versions.json` holds every
article as Musterstadt's agents saw it before (taken with `snapshot`, without the workflow's
fields, which approvals rewrite).
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


def test_musterstadt_hears_what_it_heard_before() -> None:
    before = json.loads(FIXTURE.read_text(encoding="utf-8"))
    after = snapshot(load(ROOT / "kb"))
    assert sorted(after) == sorted(before)
    changed = {
        f"{article_id}.{name}": (before[article_id].get(name), value)
        for article_id, fields in after.items()
        for name, value in fields.items()
        if before[article_id].get(name) != value
    }
    assert changed == {}
    assert after == before


if __name__ == "__main__":  # regenerate the fixture: python -m tests.unit.kb.test_home_versions
    FIXTURE.write_text(
        json.dumps(snapshot(load(ROOT / "kb")), ensure_ascii=False, indent=1, sort_keys=True)
        + "\n",
        encoding="utf-8",
    )
