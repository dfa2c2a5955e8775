-- Agents' flags on knowledge-base articles for the editors (`lotse kb feedback`).
-- Comments are free text for the editors, not personal data by design; the retention
-- purge leaves them alone.

CREATE TABLE article_feedback (
    feedback_id text PRIMARY KEY,
    article_id  text NOT NULL,
    kind        text NOT NULL CHECK (kind IN ('outdated', 'wrong', 'missing')),
    comment     text NOT NULL CHECK (length(comment) BETWEEN 1 AND 2000),
    agent_id    text NOT NULL,
    call_id     text,
    created_at  timestamptz NOT NULL,
    status      text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'done')),
    resolved_by text,
    resolved_at timestamptz,
    CHECK ((status = 'open') = (resolved_at IS NULL))
);
CREATE INDEX article_feedback_article ON article_feedback (article_id, created_at);
CREATE INDEX article_feedback_status_created ON article_feedback (status, created_at);
