-- Every attempt to call a citizen back, with its result (the ticket's history). Written
-- with the ticket by upsert_callback; `notes` are personal data, purged with the ticket.

CREATE TABLE callback_attempts (
    ticket_id    TEXT NOT NULL REFERENCES callbacks (ticket_id) ON DELETE CASCADE,
    seq          INTEGER NOT NULL,
    attempted_at TEXT NOT NULL,
    agent_id     TEXT NOT NULL,
    result       TEXT NOT NULL CHECK (result IN ('reached', 'not_reached', 'given_up')),
    call_id      TEXT,
    outcome      TEXT,
    notes        TEXT,
    PRIMARY KEY (ticket_id, seq)
);
