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

ALTER TABLE calls ADD COLUMN survey_at TEXT;
ALTER TABLE calls ADD COLUMN survey_rating INTEGER CHECK (survey_rating BETWEEN 1 AND 5);
ALTER TABLE calls ADD COLUMN handover INTEGER NOT NULL DEFAULT 0 CHECK (handover IN (0, 1));
ALTER TABLE calls ADD COLUMN handover_note TEXT;

CREATE TABLE staffed_time (
    agent_id   TEXT NOT NULL,
    started_at TEXT NOT NULL,
    ended_at   TEXT NOT NULL,
    state      TEXT NOT NULL
        CHECK (state IN ('available', 'ringing', 'talking', 'wrap_up', 'paused')),
    reason     TEXT,
    day        TEXT NOT NULL,
    ms         INTEGER NOT NULL CHECK (ms >= 0),
    PRIMARY KEY (agent_id, started_at)
);
CREATE INDEX staffed_time_day ON staffed_time (day, agent_id);
