-- The PBX facts of a call beside the agent's part (`lotse recorder`, queue_log import).
-- pbx_source says who wrote the PBX facts ('agent': the console's provisional view);
-- coarse_facts lists the facts (space-separated) known only to the second (from queue_log or
-- the queue's HoldTime/TalkTime) in a recorder's record: a precise value replaces them;
-- agent_updated_at versions the agent's part (NULL: no console wrote one yet);
-- pbx_updated_at says when the PBX facts last changed; updated_at is the row's last change.

ALTER TABLE calls ADD COLUMN queue_exit TEXT CHECK (queue_exit IN ('abandoned', 'exited'));
ALTER TABLE calls ADD COLUMN ended_by TEXT CHECK (ended_by IN ('caller', 'agent'));
ALTER TABLE calls ADD COLUMN entry_position INTEGER;
ALTER TABLE calls ADD COLUMN exit_position INTEGER;
ALTER TABLE calls ADD COLUMN pbx_transfer TEXT CHECK (pbx_transfer IN ('blind', 'attended'));
ALTER TABLE calls ADD COLUMN pbx_transfer_target TEXT;
ALTER TABLE calls ADD COLUMN caller_uniqueid TEXT;
ALTER TABLE calls ADD COLUMN pbx_source TEXT NOT NULL DEFAULT 'agent'
    CHECK (pbx_source IN ('agent', 'queue_log', 'recorder'));
ALTER TABLE calls ADD COLUMN coarse_facts TEXT;
ALTER TABLE calls ADD COLUMN pbx_updated_at TEXT;
ALTER TABLE calls ADD COLUMN agent_updated_at TEXT;
UPDATE calls SET pbx_updated_at = updated_at, agent_updated_at = updated_at,
    queue_exit = CASE WHEN outcome = 'abandoned' THEN 'abandoned' END;
CREATE INDEX calls_caller_uniqueid ON calls (caller_uniqueid);
