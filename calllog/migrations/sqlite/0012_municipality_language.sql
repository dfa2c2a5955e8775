-- One centre answering for several municipalities, in the callers' languages (issue 16).
--   pbx_municipality  PBX fact (`lotse recorder`): the municipality the number dialled or the
--                     queue names, mapped by the settings' [municipalities]
--   pbx_language      PBX fact: the caller's language from the IVR's choice (the channel
--                     language) or the queue, mapped by the settings' [languages]
--   municipality      the agent's part: the municipality the agent chose for the call in the
--                     console; it wins over the PBX's (the report groups by
--                     coalesce(municipality, pbx_municipality))
-- The agent's `language` column (0001) is the language the agent served the call in.

ALTER TABLE calls ADD COLUMN pbx_municipality TEXT;
ALTER TABLE calls ADD COLUMN pbx_language TEXT;
ALTER TABLE calls ADD COLUMN municipality TEXT;
