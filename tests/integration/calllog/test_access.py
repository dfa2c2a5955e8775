"""Roles enforced where the data is: each role connects as its own login and tries to read
what it must not, through psql-style SQL and through Lotse itself (PostgreSQL)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import psycopg
import pytest

from agent_console.cli import main
from calllog.callbacks import add_attempt
from calllog.exceptions import CallLogError
from calllog.kpi import build_report
from calllog.models import (
    ArticleFeedback,
    AttemptResult,
    CallbackAttempt,
    CallbackStatus,
    CallbackTicket,
    CallRecord,
    FeedbackKind,
    Outcome,
    SearchQuery,
    Topic,
)
from calllog.outbox import BufferedStore, Delivery
from calllog.privacy import mask_number
from calllog.reports import Period
from calllog.store import PostgresStore, SqliteOutbox, open_store

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)  # a Monday
PERIOD = Period(date(2026, 3, 2), date(2026, 3, 8))
NOW = T0 + timedelta(days=10)


@dataclass(frozen=True)
class Centre:
    """A migrated call log with two agents, a supervisor and an editor, each a login."""

    admin_url: str
    anna: str
    ben: str
    sue: str
    eddi: str

    def url(self, login: str) -> str:
        """The URL that connects as `login`."""
        return self.admin_url.replace("postgres@", f"{login}@", 1)


def _number(agent: str, n: int) -> str:
    return f"+49 234 {'11' if agent.endswith('anna') else '22'}{n:05d}"


def _calls(agent: str) -> list[CallRecord]:
    calls = []
    for n in range(6):
        at = T0 + timedelta(hours=n, minutes=1 if agent.endswith("anna") else 2)
        calls.append(CallRecord(
            f"{agent[-4:]}-{n}", "service115", at, agent_id=agent,
            caller_number=_number(agent, n), caller_name=f"Name {agent[-4:]} {n}",
            answered_at=at + timedelta(seconds=5 * n),
            ended_at=at + timedelta(minutes=3), wrapup_end_at=at + timedelta(minutes=4),
            outcome=Outcome.RESOLVED if n % 2 else Outcome.CALLBACK, notes=f"Notiz {agent} {n}",
            topics=(Topic("reisepass-beantragen"),), searches=(SearchQuery(f"frage {n}", n % 2),),
            updated_at=at,
        ))  # fmt: skip
    return calls


def _tickets(agent: str) -> list[CallbackTicket]:
    tag = agent[-4:]
    return [
        CallbackTicket(f"{tag}-open", T0, T0 + timedelta(days=1), agent, "Frist klären",
                       caller_name=f"Offen {tag}", number=f"0234 {tag}-1"),
        CallbackTicket(f"{tag}-done", T0, T0 + timedelta(days=1), agent, "Gebühr klären",
                       caller_name=f"Fertig {tag}", number=f"0234 {tag}-2",
                       status=CallbackStatus.DONE, closed_at=T0 + timedelta(hours=2)),
    ]  # fmt: skip


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """Run `lotse` in-process; returns status, stdout, stderr."""
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


@pytest.fixture
def centre(pg_url: str, capsys: pytest.CaptureFixture[str]) -> Centre:
    """Seeded by the admin; the logins created with `lotse db user add` (dropped afterwards
    with the database's roles, see `drop_roles_of`)."""
    db = pg_url.rsplit("/", 1)[1]
    names = Centre(pg_url, f"{db}_anna", f"{db}_ben", f"{db}_sue", f"{db}_eddi")
    admin = open_store(pg_url, migrate=True)
    for agent in (names.anna, names.ben):
        for record in _calls(agent):
            admin.upsert_call(record)
        for ticket in _tickets(agent):
            admin.upsert_callback(ticket)
        admin.add_feedback(
            ArticleFeedback("hund-anmelden", FeedbackKind.WRONG, f"Hinweis von {agent}", agent, T0)
        )
    admin.close()
    for login, role in ((names.anna, "agent"), (names.ben, "agent"),
                        (names.sue, "supervisor"), (names.eddi, "editor")):  # fmt: skip
        status, out, err = run(capsys, "db", "user", "add", login, "--role", role, "--db", pg_url)
        assert status == 0 and "angelegt" in out, err
    return names


@pytest.fixture
def sql(centre: Centre) -> Iterator[dict[str, psycopg.Connection[tuple[object, ...]]]]:
    """A plain connection (as psql would open it) per person."""
    conns = {
        who: psycopg.connect(centre.url(getattr(centre, who)), autocommit=True)
        for who in ("anna", "sue", "eddi")
    }
    yield conns
    for conn in conns.values():
        conn.close()


def _denied(conn: psycopg.Connection[tuple[object, ...]], query: str) -> bool:
    try:
        conn.execute(query)  # type: ignore[arg-type]
    except psycopg.errors.InsufficientPrivilege:
        return True
    return False


def test_an_agent_reads_only_their_own_rows_and_no_full_numbers(
    centre: Centre, sql: dict[str, psycopg.Connection[tuple[object, ...]]]
) -> None:
    anna = sql["anna"]
    for query in ("SELECT caller_number FROM calls", "SELECT caller_name FROM calls",
                  "SELECT notes FROM calls", "SELECT * FROM calls",
                  "SELECT number FROM callbacks", "SELECT clarify FROM callbacks",
                  "SELECT * FROM purges", f"SET ROLE {centre.sue}"):  # fmt: skip
        assert _denied(anna, query), query
    assert anna.execute("SELECT count(*) FROM calls").fetchone() == (6,)
    rows = anna.execute(
        "SELECT agent_id, caller_number, caller_name, notes FROM my_calls"
    ).fetchall()
    assert len(rows) == 6 and {r[0] for r in rows} == {centre.anna}
    assert all("•" in str(r[1]) and r[2] is None and r[3] is None for r in rows)
    assert {r[1] for r in rows} == {mask_number(_number(centre.anna, n)) for n in range(6)}
    tickets = dict(anna.execute("SELECT ticket_id, number FROM my_callbacks").fetchall())
    assert tickets == {"anna-open": "0234 anna-1", "anna-done": mask_number("0234 anna-2")}
    assert anna.execute("SELECT count(*) FROM call_searches").fetchone() == (6,)
    assert anna.execute("SELECT count(*) FROM call_topics").fetchone() == (6,)
    assert anna.execute("SELECT agent_id FROM article_feedback").fetchall() == [(centre.anna,)]
    ben_number = _number(centre.ben, 1)
    assert anna.execute("SELECT calllog_my_calls_from(%s)", (ben_number,)).fetchall() == []
    assert anna.execute(
        "UPDATE calls SET outcome = 'written' WHERE agent_id = %s", (centre.ben,)
    ).rowcount == 0  # fmt: skip
    with pytest.raises(psycopg.errors.InsufficientPrivilege):  # row-level security
        anna.execute("UPDATE calls SET agent_id = %s", (centre.ben,))


def test_a_supervisor_reads_everything(
    centre: Centre, sql: dict[str, psycopg.Connection[tuple[object, ...]]]
) -> None:
    sue = sql["sue"]
    everything = "SELECT count(*), count(caller_number), count(notes) FROM calls"
    assert sue.execute(everything).fetchone() == (12, 12, 12)
    assert sue.execute("SELECT count(number) FROM callbacks").fetchone() == (4,)
    assert sue.execute("SELECT count(*) FROM article_feedback").fetchone() == (2,)
    assert sue.execute("SELECT count(*) FROM purges").fetchone() == (0,)


def test_an_editor_reads_the_flags_and_search_statistics_only(
    centre: Centre, sql: dict[str, psycopg.Connection[tuple[object, ...]]]
) -> None:
    eddi = sql["eddi"]
    for query in ("SELECT count(*) FROM calls", "SELECT count(*) FROM callbacks",
                  "SELECT call_id FROM call_searches", "SELECT call_id FROM call_topics",
                  "SELECT * FROM my_calls"):  # fmt: skip
        assert _denied(eddi, query), query
    assert eddi.execute(
        "SELECT count(*) FROM call_searches WHERE hit_count = 0"
    ).fetchone() == (6,)  # fmt: skip
    assert eddi.execute("SELECT count(DISTINCT article_id) FROM call_topics").fetchone() == (1,)
    assert eddi.execute("SELECT count(*) FROM article_feedback").fetchone() == (2,)
    editor = PostgresStore(centre.url(centre.eddi))
    admin = open_store(centre.admin_url)
    usage = editor.article_usage(T0, NOW)  # what `lotse kb stats` shows the editors
    assert usage == admin.article_usage(T0, NOW)
    assert usage.outcomes["reisepass-beantragen"] and usage.unanswered
    admin.close()
    [flag, *_] = editor.list_feedback()
    assert (
        editor.resolve_feedback(flag.feedback_id, by=centre.eddi, at=NOW).resolved_by == centre.eddi
    )
    editor.close()


def test_lotse_works_for_an_agent_within_their_own_rows(centre: Centre, tmp_path: Path) -> None:
    store = PostgresStore(centre.url(centre.anna))
    assert store.access().role == "agent"
    calls = store.list_calls(limit=50)
    assert {c.agent_id for c in calls} == {centre.anna} and len(calls) == 6
    assert all(c.caller_number and "•" in c.caller_number and c.notes is None for c in calls)
    mine = store.list_calls(caller_number=_number(centre.anna, 2))
    assert [c.call_id for c in mine] == ["anna-2"]
    assert store.list_calls(caller_number=_number(centre.ben, 2)) == []
    tickets = store.list_callbacks(statuses=[CallbackStatus.OPEN])
    assert [(t.ticket_id, t.number) for t in tickets] == [("anna-open", "0234 anna-1")]

    buffered = BufferedStore(store, SqliteOutbox(tmp_path / "outbox.db"), retry_interval=0)
    later = T0 + timedelta(days=1)
    own = replace(_calls(centre.anna)[0], outcome=Outcome.WRITTEN, updated_at=later)
    assert buffered.upsert_call(own) is Delivery.STORED
    theirs = replace(_calls(centre.ben)[0], agent_id=centre.anna, updated_at=later)
    assert buffered.upsert_call(theirs) is Delivery.REJECTED  # row-level security
    assert "42501" in (buffered.outbox.rejected_entries()[0].error or "")
    ticket = replace(_tickets(centre.anna)[0], attempts=1, updated_at=later)
    assert buffered.upsert_callback(ticket) is Delivery.STORED
    flag = ArticleFeedback("reisepass-beantragen", FeedbackKind.MISSING, "fehlt", centre.anna, T0)
    assert buffered.add_feedback(flag) is Delivery.STORED
    buffered.close()

    admin = open_store(centre.admin_url)
    stored = admin.get_call("anna-0")
    assert stored.outcome is Outcome.WRITTEN and stored.caller_number == own.caller_number
    assert admin.get_call(theirs.call_id).agent_id == centre.ben  # untouched
    assert [h.changed_by for h in admin.outcome_history("anna-0")] == [centre.anna]
    admin.close()


def test_kpi_figures_are_the_same_for_the_agent_and_the_supervisor(centre: Centre) -> None:
    admin = open_store(centre.admin_url)
    anna, sue = PostgresStore(centre.url(centre.anna)), PostgresStore(centre.url(centre.sue))
    own = build_report(anna, PERIOD, now=NOW, agent_id=centre.anna, breakdowns=False)
    assert own == build_report(admin, PERIOD, now=NOW, agent_id=centre.anna, breakdowns=False)
    assert own.totals.offered == 6 and own.unanswered_searches
    full = build_report(sue, PERIOD, now=NOW)
    assert full == build_report(admin, PERIOD, now=NOW) and full.totals.offered == 12
    for store in (admin, anna, sue):
        store.close()


def _toml(tmp_path: Path, agent: str, role: str) -> str:
    path = tmp_path / f"{role}.toml"
    path.write_text(f'agent_id = "{agent}"\n[agents."{agent}"]\nrole = "{role}"\n')
    return str(path)


def test_report_and_supervisor_take_the_role_from_the_login_not_the_settings(
    centre: Centre, tmp_path: Path, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    claims = _toml(tmp_path, centre.anna, "supervisor")  # Anna claims to be a supervisor
    report = ["report", "--from", "2026-03-02", "--to", "2026-03-08", "--format", "json"]
    status, out, _ = run(capsys, "--config", claims, *report, "--db", centre.url(centre.anna))
    assert status == 0
    figures = json.loads(out)
    assert figures["agent"] == centre.anna and figures["offered"] == 6
    status, _, err = run(capsys, "--config", claims, *report, "--agent", centre.ben,
                         "--db", centre.url(centre.anna))  # fmt: skip
    assert status == 2 and "only supervisors" in err
    modest = _toml(tmp_path, centre.sue, "agent")  # Sue's file says agent: she still leads
    status, out, _ = run(capsys, "--config", modest, *report, "--db", centre.url(centre.sue))
    assert status == 0 and json.loads(out)["agent"] is None and json.loads(out)["offered"] == 12

    from agent_console.screens import supervisor

    started: list[supervisor.SupervisorOptions] = []
    monkeypatch.setattr(supervisor.SupervisorApp, "run",
                        lambda self: started.append(self.options))  # fmt: skip
    assert main(["--config", claims, "supervisor", "--db", centre.url(centre.anna)]) == 0
    assert main(["--config", modest, "supervisor", "--db", centre.url(centre.sue)]) == 0
    assert [(o.agent_id, o.supervisor) for o in started] == [
        (centre.anna, False), (centre.sue, True),
    ]  # fmt: skip


def test_db_user_list_and_remove(centre: Centre, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "db", "user", "list", "--db", centre.admin_url)
    assert status == 0
    listed = [line.split() for line in out.splitlines()[1:]]
    expected = [[centre.anna, "agent"], [centre.ben, "agent"], [centre.eddi, "editor"],
                [centre.sue, "supervisor"]]  # fmt: skip
    assert sorted(listed) == sorted(expected)
    status, out, _ = run(capsys, "db", "user", "add", centre.ben, "--role", "supervisor",
                         "--db", centre.admin_url)  # fmt: skip
    assert status == 0 and "jetzt die Rolle supervisor" in out
    assert PostgresStore(centre.url(centre.ben)).access().role == "supervisor"
    status, out, _ = run(capsys, "db", "user", "remove", centre.anna, "--db", centre.admin_url)
    assert status == 0 and "entfernt" in out
    with pytest.raises(psycopg.OperationalError):
        psycopg.connect(centre.url(centre.anna)).close()
    for argv, message in (
        (["remove", centre.anna], "no login"),
        (["add", "Robert'); DROP TABLE calls;--", "--role", "agent"], "not a login name"),
        (["add", "pg_evil", "--role", "agent"], "not a login name"),
    ):
        status, _, err = run(capsys, "db", "user", *argv, "--db", centre.admin_url)
        assert status == 2 and message in err and err.count("\n") == 1, err


def test_a_login_without_a_role_cannot_even_connect(
    centre: Centre, capsys: pytest.CaptureFixture[str]
) -> None:
    mallory = centre.anna.replace("_anna", "_mallory")
    with psycopg.connect(centre.admin_url, autocommit=True) as admin:
        admin.execute(f'CREATE ROLE "{mallory}" LOGIN')  # type: ignore[arg-type]
    with pytest.raises(psycopg.OperationalError, match="permission denied"):
        psycopg.connect(centre.url(mallory)).close()
    status, _, err = run(capsys, "calllog", "list", "--db", centre.url(mallory))
    assert status == 2 and err.count("\n") == 1


def test_users_and_purge_are_for_admins_and_postgresql_only(
    centre: Centre, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, _, err = run(capsys, "calllog", "purge", "--db", centre.url(centre.sue))
    assert status == 2 and "owner" in err
    status, _, err = run(capsys, "db", "user", "add", "x", "--role", "agent",
                         "--db", centre.url(centre.sue))  # fmt: skip
    assert status == 2 and "42501" in err
    status, _, err = run(capsys, "db", "user", "list", "--db", f"sqlite:///{tmp_path / 'c.db'}")
    assert status == 2 and "only on PostgreSQL" in err


def test_the_sql_mask_is_the_python_mask(centre: Centre) -> None:
    numbers = ["+49 234 9101234", "+4923451234567", "0234 987654", "12345", "1234", "+1 5",
               "0049-171-2345678", "+49 (0)30 1234-5678 ext 9", ""]  # fmt: skip
    with psycopg.connect(centre.admin_url) as conn:
        for number in numbers:
            found = conn.execute("SELECT calllog_mask_number(%s)", (number,)).fetchone()
            assert found == (mask_number(number),), number


def test_columns_added_by_a_later_migration_are_granted_and_masked(centre: Centre) -> None:
    with psycopg.connect(centre.admin_url, autocommit=True) as admin:
        admin.execute("ALTER TABLE calls ADD COLUMN later_fact text")
        admin.execute(
            "INSERT INTO personal_columns VALUES ('calls', 'later_personal', 'NULL::text')"
        )
        admin.execute("ALTER TABLE calls ADD COLUMN later_personal text")
        admin.execute("UPDATE calls SET later_fact = 'caller', later_personal = 'u1'")
        admin.execute("SELECT calllog_apply_access()")  # what `lotse db upgrade` runs
    with psycopg.connect(centre.url(centre.anna)) as anna:
        assert anna.execute("SELECT DISTINCT later_fact FROM calls").fetchall() == [("caller",)]
        assert anna.execute("SELECT DISTINCT later_personal FROM my_calls").fetchall() == [(None,)]
        assert _denied(anna, "SELECT later_personal FROM calls")


def test_call_back_attempts_follow_their_ticket_and_agents_never_read_the_notes(
    centre: Centre, sql: dict[str, psycopg.Connection[tuple[object, ...]]]
) -> None:
    anna = open_store(centre.url(centre.anna))
    ben = open_store(centre.url(centre.ben))
    sue = open_store(centre.url(centre.sue))
    try:
        ticket = anna.get_callback("anna-open")
        now = datetime.now(UTC)  # after the seeded version of the ticket
        attempt = CallbackAttempt(now, centre.anna, AttemptResult.NOT_REACHED, "9.1",
                                  notes="Mailbox, Frau B. ab 14 Uhr")  # fmt: skip
        tried = add_attempt(ticket, attempt)
        anna.upsert_callback(tried)  # the agent's console writes the attempt with the ticket
        mine = anna.get_callback("anna-open")
        assert [a.result for a in mine.history] == [AttemptResult.NOT_REACHED]
        assert mine.history[0].notes is None and mine.attempts == 1  # written, not read back
        assert sue.get_callback("anna-open").history[0].notes == "Mailbox, Frau B. ab 14 Uhr"
        anna.upsert_callback(replace(tried, updated_at=now + timedelta(seconds=1)))  # replay
        assert sue.get_callback("anna-open").history == tried.history  # the notes stay
        bens = ben.list_callbacks(statuses=None)
        assert bens and all(t.created_by == centre.ben and not t.history for t in bens)
        assert _denied(sql["anna"], "SELECT notes FROM callback_attempts")
        foreign = add_attempt(_tickets(centre.ben)[0],
                              CallbackAttempt(now, centre.anna, AttemptResult.REACHED))  # fmt: skip
        with pytest.raises(CallLogError):  # another agent's ticket: refused by the database
            anna.upsert_callback(foreign)
    finally:
        for store in (anna, ben, sue):
            store.close()
