-- Every attempt to call a citizen back, with its result (the ticket's history). Written
-- with the ticket by upsert_callback; `notes` are personal data, purged with the ticket.

CREATE TABLE callback_attempts (
    ticket_id    text NOT NULL REFERENCES callbacks (ticket_id) ON DELETE CASCADE,
    seq          integer NOT NULL,
    attempted_at timestamptz NOT NULL,
    agent_id     text NOT NULL,
    result       text NOT NULL CHECK (result IN ('reached', 'not_reached', 'given_up')),
    call_id      text,
    outcome      text,
    notes        text,
    PRIMARY KEY (ticket_id, seq)
);
