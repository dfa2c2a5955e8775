-- Lookups by person: a caller's earlier calls (the console's history panel) and an
-- agent's own call-back tickets. Numbered 0005; 0004 is reserved for the KPI work.

CREATE INDEX calls_caller_offered ON calls (caller_number, offered_at);
CREATE INDEX callbacks_creator_due ON callbacks (created_by, due_at);
