-- Each topic row carries its call's outcome, so "top topics and how they were resolved"
-- over a month reads one covering index instead of joining calls.
ALTER TABLE call_topics ADD COLUMN outcome text;
UPDATE call_topics t SET outcome = c.outcome FROM calls c WHERE c.call_id = t.call_id;
DROP INDEX call_topics_offered;
CREATE INDEX call_topics_offered ON call_topics (offered_at, article_id, outcome);
