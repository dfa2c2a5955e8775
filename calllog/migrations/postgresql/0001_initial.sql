-- Call log schema for PostgreSQL. Times are timestamptz; offered_day / offered_dow /
-- offered_hour are the offer time in the service-centre zone (Europe/Berlin), precomputed
-- so both backends group by local day and hour identically. Durations are integer ms.

CREATE TABLE calls (
    call_id       text PRIMARY KEY,
    queue         text NOT NULL,
    agent_id      text,
    caller_number text,
    caller_name   text,
    language      text,
    offered_at    timestamptz NOT NULL,
    answered_at   timestamptz,
    ended_at      timestamptz,
    wrapup_end_at timestamptz,
    offered_day   date NOT NULL,
    offered_dow   smallint NOT NULL CHECK (offered_dow BETWEEN 1 AND 7),
    offered_hour  smallint NOT NULL CHECK (offered_hour BETWEEN 0 AND 23),
    wait_ms       integer,
    talk_ms       integer,
    wrapup_ms     integer,
    outcome       text CHECK (outcome IN ('resolved', 'transferred', 'callback', 'written',
                                          'not_responsible', 'abandoned', 'dropped')),
    outcome_target text,
    transfer_mode text CHECK (transfer_mode IN ('blind', 'attended')),
    notes         text,
    updated_at    timestamptz NOT NULL,
    updated_by    text,
    purged_at     timestamptz
);
CREATE INDEX calls_offered_at ON calls (offered_at);
CREATE INDEX calls_agent_offered ON calls (agent_id, offered_at);
CREATE INDEX calls_queue_offered ON calls (queue, offered_at);
CREATE INDEX calls_outcome_offered ON calls (outcome, offered_at);

CREATE TABLE call_topics (
    call_id    text NOT NULL REFERENCES calls (call_id) ON DELETE CASCADE,
    position   smallint NOT NULL,
    article_id text NOT NULL,
    leika_key  text,
    offered_at timestamptz NOT NULL,
    PRIMARY KEY (call_id, article_id)
);
CREATE INDEX call_topics_article_offered ON call_topics (article_id, offered_at);
CREATE INDEX call_topics_offered ON call_topics (offered_at, article_id);

CREATE TABLE call_searches (
    call_id     text NOT NULL REFERENCES calls (call_id) ON DELETE CASCADE,
    seq         smallint NOT NULL,
    query       text NOT NULL,
    hit_count   integer NOT NULL CHECK (hit_count >= 0),
    searched_at timestamptz,
    offered_at  timestamptz NOT NULL,
    PRIMARY KEY (call_id, seq)
);
CREATE INDEX call_searches_offered ON call_searches (offered_at, hit_count);

CREATE TABLE outcome_history (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    call_id     text NOT NULL,
    changed_at  timestamptz NOT NULL,
    changed_by  text NOT NULL,
    old_outcome text,
    new_outcome text,
    old_target  text,
    new_target  text
);
CREATE INDEX outcome_history_call ON outcome_history (call_id, id);

CREATE FUNCTION calllog_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only', TG_TABLE_NAME;
END
$$;
CREATE TRIGGER outcome_history_append_only BEFORE UPDATE OR DELETE ON outcome_history
    FOR EACH ROW EXECUTE FUNCTION calllog_append_only();

CREATE TABLE callbacks (
    ticket_id   text PRIMARY KEY,
    call_id     text,
    created_at  timestamptz NOT NULL,
    due_at      timestamptz NOT NULL,
    created_by  text NOT NULL,
    clarify     text,
    caller_name text,
    number      text,
    topic       text,
    office      text,
    status      text NOT NULL CHECK (status IN ('open', 'in_progress', 'done',
                                                'failed_to_reach')),
    attempts    integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    updated_at  timestamptz NOT NULL,
    closed_at   timestamptz,
    purged_at   timestamptz
);
CREATE INDEX callbacks_status_due ON callbacks (status, due_at);
CREATE INDEX callbacks_created ON callbacks (created_at);
CREATE INDEX callbacks_call ON callbacks (call_id);

CREATE TABLE purges (
    id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    purged_at timestamptz NOT NULL,
    purged_by text NOT NULL,
    cutoff    timestamptz NOT NULL,
    calls     integer NOT NULL,
    callbacks integer NOT NULL,
    outbox    integer NOT NULL
);
CREATE TRIGGER purges_append_only BEFORE UPDATE OR DELETE ON purges
    FOR EACH ROW EXECUTE FUNCTION calllog_append_only();
