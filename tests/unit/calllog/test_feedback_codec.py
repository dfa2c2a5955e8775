"""The outbox's JSON form of article feedback round-trips (calllog.codec)."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from calllog.codec import feedback_from_dict, feedback_to_dict
from calllog.models import ArticleFeedback, FeedbackKind, FeedbackStatus

T0 = datetime(2026, 3, 2, 8, 30, tzinfo=UTC)
F1 = "7d3f0c1e-2b4a-4c8e-9f10-0a1b2c3d4e5f"
F2 = "0f4e3d2c-1b0a-4f9e-8d7c-6b5a49382716"


def test_open_and_done_flags_round_trip_through_json() -> None:
    open_flag = ArticleFeedback(
        article_id="kfz-zulassung", kind=FeedbackKind.OUTDATED, comment="Gebühr geändert",
        agent_id="agent1", created_at=T0, call_id="c1", feedback_id=F1,
    )  # fmt: skip
    done = ArticleFeedback(
        article_id="kfz-zulassung", kind=FeedbackKind.WRONG, comment="Öffnungszeiten",
        agent_id="agent1", created_at=T0, feedback_id=F2, status=FeedbackStatus.DONE,
        resolved_by="editor7", resolved_at=T0.replace(hour=10),
    )  # fmt: skip
    for flag in (open_flag, done):
        payload = json.loads(json.dumps(feedback_to_dict(flag)))
        assert feedback_from_dict(payload) == flag
    assert feedback_to_dict(open_flag)["kind"] == "outdated"
    assert feedback_to_dict(open_flag)["resolved_at"] is None


def test_calllog_exports_the_feedback_models() -> None:
    import calllog

    assert calllog.ArticleFeedback is ArticleFeedback
    assert calllog.FeedbackKind is FeedbackKind
    assert calllog.FeedbackStatus is FeedbackStatus
