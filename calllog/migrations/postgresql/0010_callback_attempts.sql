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

-- Roles (0008): the attempts of a ticket are for whoever may read and write the ticket;
-- an agent writes them but never reads the notes back (personal data, as the number of a
-- closed ticket). calllog_apply_access() runs after every migration, so it is extended
-- here: the one before it first, then this table.
ALTER FUNCTION calllog_apply_access() RENAME TO calllog_apply_access_before_0010;

CREATE FUNCTION calllog_apply_access() RETURNS void
LANGUAGE plpgsql SET search_path = pg_catalog, public AS $$
DECLARE
    a name := (SELECT group_name FROM access_groups WHERE role = 'agent');
    s name := (SELECT group_name FROM access_groups WHERE role = 'supervisor');
BEGIN
    PERFORM calllog_apply_access_before_0010();
    EXECUTE format('GRANT INSERT ON callback_attempts TO %I, %I', a, s);
    EXECUTE format('GRANT SELECT (ticket_id, seq, attempted_at, agent_id, result, call_id,'
                   ' outcome) ON callback_attempts TO %I', a);
    ALTER TABLE callback_attempts ENABLE ROW LEVEL SECURITY;
    DROP POLICY IF EXISTS supervisors ON callback_attempts;
    DROP POLICY IF EXISTS agents ON callback_attempts;
    EXECUTE format('CREATE POLICY supervisors ON callback_attempts TO %I USING (true)'
                   ' WITH CHECK (true)', s);
    EXECUTE format('CREATE POLICY agents ON callback_attempts TO %I'
                   ' USING (EXISTS (SELECT 1 FROM callbacks c'
                   ' WHERE c.ticket_id = callback_attempts.ticket_id))'
                   ' WITH CHECK (EXISTS (SELECT 1 FROM callbacks c'
                   ' WHERE c.ticket_id = callback_attempts.ticket_id))', a);
    REVOKE ALL ON FUNCTION calllog_apply_access_before_0010() FROM PUBLIC;
    REVOKE ALL ON FUNCTION calllog_apply_access() FROM PUBLIC;
END
$$;

SELECT calllog_apply_access();
