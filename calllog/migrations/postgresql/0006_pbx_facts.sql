-- The PBX facts of a call beside the agent's part (`lotse recorder`, queue_log import).
-- pbx_source says who wrote the PBX facts ('agent': the console's provisional view);
-- coarse_facts lists the facts (space-separated) known only to the second (from queue_log or
-- the queue's HoldTime/TalkTime) in a recorder's record: a precise value replaces them;
-- agent_updated_at versions the agent's part (NULL: no console wrote one yet);
-- pbx_updated_at says when the PBX facts last changed; updated_at is the row's last change.

ALTER TABLE calls
    ADD COLUMN queue_exit text CHECK (queue_exit IN ('abandoned', 'exited')),
    ADD COLUMN ended_by text CHECK (ended_by IN ('caller', 'agent')),
    ADD COLUMN entry_position integer,
    ADD COLUMN exit_position integer,
    ADD COLUMN pbx_transfer text CHECK (pbx_transfer IN ('blind', 'attended')),
    ADD COLUMN pbx_transfer_target text,
    ADD COLUMN caller_uniqueid text,
    ADD COLUMN pbx_source text NOT NULL DEFAULT 'agent'
        CHECK (pbx_source IN ('agent', 'queue_log', 'recorder')),
    ADD COLUMN coarse_facts text,
    ADD COLUMN pbx_updated_at timestamptz,
    ADD COLUMN agent_updated_at timestamptz;
UPDATE calls SET pbx_updated_at = updated_at, agent_updated_at = updated_at,
    queue_exit = CASE WHEN outcome = 'abandoned' THEN 'abandoned' END;
CREATE INDEX calls_caller_uniqueid ON calls (caller_uniqueid);
