"""ArticleFeedback: checked on creation, kinds and statuses coerced, times in UTC."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest

from calllog.exceptions import InvalidRecord
from calllog.models import MAX_FEEDBACK_COMMENT, ArticleFeedback, FeedbackKind, FeedbackStatus

T0 = datetime(2026, 11, 21, 9, 30, tzinfo=UTC)


def flag(**changes: Any) -> ArticleFeedback:
    """A valid open flag, with `changes` applied."""
    values: dict[str, Any] = {
        "article_id": "reisepass-beantragen",
        "kind": "outdated",
        "comment": "Gebühr hat sich geändert.",
        "agent_id": "agent1",
        "created_at": T0,
    }
    return ArticleFeedback(**{**values, **changes})


def test_positional_creation_as_the_console_does_it_draws_a_uuid() -> None:
    first = ArticleFeedback("a", FeedbackKind.WRONG, "falsch", "agent1", T0, "call-1")
    second = ArticleFeedback("a", FeedbackKind.WRONG, "falsch", "agent1", T0, "call-1")
    assert str(uuid.UUID(first.feedback_id)) == first.feedback_id
    assert first.feedback_id != second.feedback_id
    assert first.call_id == "call-1"
    assert first.status is FeedbackStatus.OPEN and first.is_open


def test_plain_strings_become_enums_and_ids_canonical() -> None:
    raw = "6F9619FF-8B86-D011-B42D-00C04FC964FF"
    item = flag(kind="missing", status="done", resolved_by="ed", resolved_at=T0, feedback_id=raw)
    assert item.kind is FeedbackKind.MISSING
    assert item.status is FeedbackStatus.DONE and not item.is_open
    assert item.feedback_id == raw.lower()


def test_times_are_normalised_to_utc() -> None:
    berlin = timezone(timedelta(hours=1))
    item = flag(created_at=datetime(2026, 11, 21, 10, 30, tzinfo=berlin))
    assert item.created_at == T0 and item.created_at.tzinfo is UTC


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"kind": "veraltet"}, "veraltet"),
        ({"status": "closed"}, "closed"),
        ({"feedback_id": "fb-1"}, "fb-1"),
        ({"article_id": ""}, "needs an article id"),
        ({"agent_id": ""}, "needs an agent id"),
        ({"comment": "  \n"}, "needs a comment"),
        ({"comment": "x" * (MAX_FEEDBACK_COMMENT + 1)}, "longer than 2000"),
        ({"created_at": datetime(2026, 11, 21, 9, 30)}, "timezone-aware"),
        ({"resolved_by": "ed"}, "an open flag has no resolution"),
        ({"status": "done", "resolved_by": "ed"}, "needs resolved_by"),
        ({"status": "done", "resolved_at": T0}, "needs resolved_by"),
        (
            {"status": "done", "resolved_by": "ed", "resolved_at": T0 - timedelta(seconds=1)},
            "resolved before it was created",
        ),
    ],
)
def test_invalid_flags_are_refused(changes: dict[str, Any], message: str) -> None:
    with pytest.raises(InvalidRecord, match=message):
        flag(**changes)


def test_a_comment_of_the_maximum_length_is_accepted() -> None:
    assert len(flag(comment="x" * MAX_FEEDBACK_COMMENT).comment) == MAX_FEEDBACK_COMMENT


def test_replace_keeps_the_id_and_checks_again() -> None:
    item = flag()
    done = replace(item, status=FeedbackStatus.DONE, resolved_by="ed", resolved_at=T0)
    assert done.feedback_id == item.feedback_id
    with pytest.raises(InvalidRecord):
        replace(item, status=FeedbackStatus.DONE)
