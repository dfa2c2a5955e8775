-- Call log schema for SQLite. Times are UTC text 'YYYY-MM-DDTHH:MM:SS.ffffff+00:00' (fixed
-- width, so text order is time order);
-- offered_day / offered_dow / offered_hour are the offer time in the service-centre zone
-- (Europe/Berlin), precomputed so both backends group by local day and hour identically.
-- Durations are integer milliseconds.

CREATE TABLE calls (
    call_id       TEXT PRIMARY KEY,
    queue         TEXT NOT NULL,
    agent_id      TEXT,
    caller_number TEXT,
    caller_name   TEXT,
    language      TEXT,
    offered_at    TEXT NOT NULL,
    answered_at   TEXT,
    ended_at      TEXT,
    wrapup_end_at TEXT,
    offered_day   TEXT NOT NULL,
    offered_dow   INTEGER NOT NULL CHECK (offered_dow BETWEEN 1 AND 7),
    offered_hour  INTEGER NOT NULL CHECK (offered_hour BETWEEN 0 AND 23),
    wait_ms       INTEGER,
    talk_ms       INTEGER,
    wrapup_ms     INTEGER,
    outcome       TEXT CHECK (outcome IN ('resolved', 'transferred', 'callback', 'written',
                                          'not_responsible', 'abandoned', 'dropped')),
    outcome_target TEXT,
    transfer_mode TEXT CHECK (transfer_mode IN ('blind', 'attended')),
    notes         TEXT,
    updated_at    TEXT NOT NULL,
    updated_by    TEXT,
    purged_at     TEXT
);
CREATE INDEX calls_offered_at ON calls (offered_at);
CREATE INDEX calls_agent_offered ON calls (agent_id, offered_at);
CREATE INDEX calls_queue_offered ON calls (queue, offered_at);
CREATE INDEX calls_outcome_offered ON calls (outcome, offered_at);

CREATE TABLE call_topics (
    call_id    TEXT NOT NULL REFERENCES calls (call_id) ON DELETE CASCADE,
    position   INTEGER NOT NULL,
    article_id TEXT NOT NULL,
    leika_key  TEXT,
    offered_at TEXT NOT NULL,
    PRIMARY KEY (call_id, article_id)
);
CREATE INDEX call_topics_article_offered ON call_topics (article_id, offered_at);
CREATE INDEX call_topics_offered ON call_topics (offered_at, article_id);

CREATE TABLE call_searches (
    call_id     TEXT NOT NULL REFERENCES calls (call_id) ON DELETE CASCADE,
    seq         INTEGER NOT NULL,
    query       TEXT NOT NULL,
    hit_count   INTEGER NOT NULL CHECK (hit_count >= 0),
    searched_at TEXT,
    offered_at  TEXT NOT NULL,
    PRIMARY KEY (call_id, seq)
);
CREATE INDEX call_searches_offered ON call_searches (offered_at, hit_count);

CREATE TABLE outcome_history (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    call_id     TEXT NOT NULL,
    changed_at  TEXT NOT NULL,
    changed_by  TEXT NOT NULL,
    old_outcome TEXT,
    new_outcome TEXT,
    old_target  TEXT,
    new_target  TEXT
);
CREATE INDEX outcome_history_call ON outcome_history (call_id, id);
CREATE TRIGGER outcome_history_no_update BEFORE UPDATE ON outcome_history
BEGIN SELECT RAISE(ABORT, 'outcome_history is append-only'); END;
CREATE TRIGGER outcome_history_no_delete BEFORE DELETE ON outcome_history
BEGIN SELECT RAISE(ABORT, 'outcome_history is append-only'); END;

CREATE TABLE callbacks (
    ticket_id   TEXT PRIMARY KEY,
    call_id     TEXT,
    created_at  TEXT NOT NULL,
    due_at      TEXT NOT NULL,
    created_by  TEXT NOT NULL,
    clarify     TEXT,
    caller_name TEXT,
    number      TEXT,
    topic       TEXT,
    office      TEXT,
    status      TEXT NOT NULL CHECK (status IN ('open', 'in_progress', 'done',
                                                'failed_to_reach')),
    attempts    INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    updated_at  TEXT NOT NULL,
    closed_at   TEXT,
    purged_at   TEXT
);
CREATE INDEX callbacks_status_due ON callbacks (status, due_at);
CREATE INDEX callbacks_created ON callbacks (created_at);
CREATE INDEX callbacks_call ON callbacks (call_id);

CREATE TABLE purges (
    id        INTEGER PRIMARY KEY AUTOINCREMENT,
    purged_at TEXT NOT NULL,
    purged_by TEXT NOT NULL,
    cutoff    TEXT NOT NULL,
    calls     INTEGER NOT NULL,
    callbacks INTEGER NOT NULL,
    outbox    INTEGER NOT NULL
);
CREATE TRIGGER purges_no_update BEFORE UPDATE ON purges
BEGIN SELECT RAISE(ABORT, 'purges is append-only'); END;
CREATE TRIGGER purges_no_delete BEFORE DELETE ON purges
BEGIN SELECT RAISE(ABORT, 'purges is append-only'); END;
