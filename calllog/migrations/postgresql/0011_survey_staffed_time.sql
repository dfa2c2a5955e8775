-- What the municipalities compare (KGSt): the caller survey after a call, the handover note
-- of a qualified transfer, and the agents' staffed time from the PBX.
--   survey_at, survey_rating  PBX facts (`lotse recorder`): when the caller was handed to the
--                             survey, and the rating 1 (sehr unzufrieden) to 5 (sehr zufrieden)
--   handover, handover_note   the agent's part: a transfer passed on with a note for the back
--                             office; the note is personal data (purged), the flag is kept
--   staffed_time              one row per agent, state and local day: logged in and available,
--                             ringing, talking, wrap-up or paused (with its reason), from the
--                             queue's member events; a row still open is extended as time passes
-- (0010 is left to the call-back attempts of issue 12.)

ALTER TABLE calls
    ADD COLUMN survey_at timestamptz,
    ADD COLUMN survey_rating smallint CHECK (survey_rating BETWEEN 1 AND 5),
    ADD COLUMN handover boolean NOT NULL DEFAULT false,
    ADD COLUMN handover_note text;

CREATE TABLE staffed_time (
    agent_id   text NOT NULL,
    started_at timestamptz NOT NULL,
    ended_at   timestamptz NOT NULL,
    state      text NOT NULL
        CHECK (state IN ('available', 'ringing', 'talking', 'wrap_up', 'paused')),
    reason     text,
    day        date NOT NULL,
    ms         bigint NOT NULL CHECK (ms >= 0),
    PRIMARY KEY (agent_id, started_at)
);
CREATE INDEX staffed_time_day ON staffed_time (day, agent_id);

-- Roles (0008). Agents never read a survey rating (not even of their own calls: they know
-- whom they spoke to) nor the handover note (personal data, like their notes): both join
-- `personal_columns`, so agents' column grants leave them out and `my_calls` shows NULL.
-- Editors read no calls at all. Staffed time: agents read their own rows, supervisors all;
-- the recorder writes it with a supervisor's login. calllog_apply_access() runs after every
-- migration, so it is extended here: the one before this migration first, then this part.
INSERT INTO personal_columns (table_name, column_name, agent_view) VALUES
    ('calls', 'handover_note', 'NULL::text'),
    ('calls', 'survey_rating', 'NULL::smallint');

ALTER FUNCTION calllog_apply_access() RENAME TO calllog_apply_access_before_0011;

CREATE FUNCTION calllog_apply_access() RETURNS void
LANGUAGE plpgsql SET search_path = pg_catalog, public AS $$
DECLARE
    a name := (SELECT group_name FROM access_groups WHERE role = 'agent');
    s name := (SELECT group_name FROM access_groups WHERE role = 'supervisor');
BEGIN
    PERFORM calllog_apply_access_before_0011();
    EXECUTE format('GRANT SELECT ON staffed_time TO %I, %I', a, s);
    EXECUTE format('GRANT INSERT, UPDATE ON staffed_time TO %I', s);
    ALTER TABLE staffed_time ENABLE ROW LEVEL SECURITY;
    DROP POLICY IF EXISTS supervisors ON staffed_time;
    DROP POLICY IF EXISTS agents ON staffed_time;
    EXECUTE format('CREATE POLICY supervisors ON staffed_time TO %I USING (true)'
                   ' WITH CHECK (true)', s);
    EXECUTE format('CREATE POLICY agents ON staffed_time FOR SELECT TO %I'
                   ' USING (agent_id = current_user)', a);
    REVOKE ALL ON FUNCTION calllog_apply_access_before_0011() FROM PUBLIC;
    REVOKE ALL ON FUNCTION calllog_apply_access() FROM PUBLIC;
END
$$;

SELECT calllog_apply_access();
