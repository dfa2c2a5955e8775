-- Agents' flags on knowledge-base articles for the editors (`lotse kb feedback`).
-- Comments are free text for the editors, not personal data by design; the retention
-- purge leaves them alone. Times are UTC text like everywhere in this schema.

CREATE TABLE article_feedback (
    feedback_id TEXT PRIMARY KEY,
    article_id  TEXT NOT NULL,
    kind        TEXT NOT NULL CHECK (kind IN ('outdated', 'wrong', 'missing')),
    comment     TEXT NOT NULL CHECK (length(comment) BETWEEN 1 AND 2000),
    agent_id    TEXT NOT NULL,
    call_id     TEXT,
    created_at  TEXT NOT NULL,
    status      TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'done')),
    resolved_by TEXT,
    resolved_at TEXT,
    CHECK ((status = 'open') = (resolved_at IS NULL))
);
CREATE INDEX article_feedback_article ON article_feedback (article_id, created_at);
CREATE INDEX article_feedback_status_created ON article_feedback (status, created_at);
