"""Call-back tickets: upsert, reading and listing."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import Any

from calllog.exceptions import NotFound
from calllog.models import AttemptResult, CallbackAttempt, CallbackStatus, CallbackTicket, Outcome
from calllog.store.base import StoreBase
from calllog.store.schema import (
    _ADD_ATTEMPTS,
    _TIME_COLUMNS,
    _UPSERT_TICKET,
    ATTEMPT_COLUMNS,
    TICKET_COLUMNS,
)


class CallbackQueries(StoreBase):
    """The SQL for call-back tickets."""

    def _ticket_params(self, ticket: CallbackTicket) -> dict[str, Any]:
        params = {
            name: self._time_out(value) if name in _TIME_COLUMNS else value
            for name, value in ((n, getattr(ticket, n)) for n in TICKET_COLUMNS)
        }
        params["status"] = ticket.status.value
        params["updated_at"] = self._time_out(ticket.updated_at or datetime.now(UTC))
        return params

    def upsert_callback(self, ticket: CallbackTicket) -> None:
        """Insert or replace a call-back ticket by id; its history of attempts only grows.

        An older version never replaces a newer one (and adds no attempts); an attempt once
        stored stays as it is.
        """
        attempts = [
            {"ticket_id": ticket.ticket_id, "seq": n, "attempted_at": self._time_out(a.at),
             "agent_id": a.agent_id, "result": a.result.value, "call_id": a.call_id,
             "outcome": a.outcome.value if a.outcome else None, "notes": a.notes}
            for n, a in enumerate(ticket.history)
        ]  # fmt: skip
        with self._transaction() as cur:
            applied = self._exec(cur, _UPSERT_TICKET, self._ticket_params(ticket)).fetchone()
            if applied is not None and attempts:
                cur.executemany(self.dialect.sql(_ADD_ATTEMPTS), attempts)

    def _ticket(
        self, row: Sequence[Any], history: Sequence[CallbackAttempt] = ()
    ) -> CallbackTicket:
        v = dict(zip(TICKET_COLUMNS, row, strict=True))
        for name in ("created_at", "due_at", "updated_at", "closed_at"):
            v[name] = self._time_in(v[name])
        v["status"] = CallbackStatus(v["status"])
        v["clarify"] = v["clarify"] or ""
        return CallbackTicket(**v, history=tuple(history))

    def _histories(self, cur: Any, ticket_ids: Sequence[str]) -> dict[str, list[CallbackAttempt]]:
        """The attempts of these tickets, oldest first, in one query."""
        found: dict[str, list[CallbackAttempt]] = {}
        if not ticket_ids:
            return found
        marks = ", ".join(f":t{n}" for n in range(len(ticket_ids)))
        # An agent's login reads no notes back (personal data; PostgreSQL grants say so).
        agent = self._callbacks_from == "my_callbacks"
        columns = [("NULL" if agent and c == "notes" else c) for c in ATTEMPT_COLUMNS]
        rows = self._exec(
            cur,
            f"SELECT {', '.join(columns)} FROM callback_attempts"
            f" WHERE ticket_id IN ({marks}) ORDER BY ticket_id, seq",
            {f"t{n}": tid for n, tid in enumerate(ticket_ids)},
        ).fetchall()
        for row in rows:
            v = dict(zip(ATTEMPT_COLUMNS, row, strict=True))
            attempt = CallbackAttempt(
                at=self._required_time(v["attempted_at"]), agent_id=v["agent_id"],
                result=AttemptResult(v["result"]), call_id=v["call_id"],
                outcome=Outcome(v["outcome"]) if v["outcome"] else None, notes=v["notes"],
            )  # fmt: skip
            found.setdefault(v["ticket_id"], []).append(attempt)
        return found

    def get_callback(self, ticket_id: str) -> CallbackTicket:
        """One ticket; raises NotFound."""
        with self._transaction(write=False) as cur:
            row = self._exec(
                cur,
                f"SELECT {', '.join(TICKET_COLUMNS)} FROM {self._callbacks_from}"
                " WHERE ticket_id = :id",
                {"id": ticket_id},
            ).fetchone()
            history = self._histories(cur, [ticket_id]) if row is not None else {}
        if row is None:
            raise NotFound(f"no call-back ticket {ticket_id!r}")
        return self._ticket(row, history.get(ticket_id, ()))

    def list_callbacks(
        self,
        *,
        statuses: Iterable[CallbackStatus] | None = None,
        due_before: datetime | None = None,
        created_by: str | None = None,
        limit: int = 500,
    ) -> list[CallbackTicket]:
        """Tickets by due time, earliest first; `created_by` keeps one agent's tickets."""
        where: list[str] = ["1 = 1"]
        params: dict[str, Any] = {"limit": limit}
        if statuses is not None:
            chosen = sorted(s.value for s in statuses)
            if not chosen:
                return []  # no status asked for: nothing matches (and `IN ()` is invalid SQL)
            where.append(f"status IN ({', '.join(f':s{n}' for n in range(len(chosen)))})")
            params.update({f"s{n}": s for n, s in enumerate(chosen)})
        if due_before is not None:
            where.append("due_at < :due")
            params["due"] = self._time_out(due_before)
        if created_by is not None:
            where.append("created_by = :created_by")
            params["created_by"] = created_by
        with self._transaction(write=False) as cur:
            rows = self._exec(
                cur,
                f"SELECT {', '.join(TICKET_COLUMNS)} FROM {self._callbacks_from}"
                f" WHERE {' AND '.join(where)}"
                " ORDER BY due_at, ticket_id LIMIT :limit",
                params,
            ).fetchall()
            histories = self._histories(cur, [r[0] for r in rows])
        return [self._ticket(r, histories.get(r[0], ())) for r in rows]
