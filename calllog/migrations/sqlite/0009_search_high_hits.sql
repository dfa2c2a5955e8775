-- How many hits of a search the search was sure of (`confidence: high`). A search whose hits
-- are all "vielleicht" counts as one without a hit. NULL in rows written before this column:
-- those count by hit_count alone.

ALTER TABLE call_searches ADD COLUMN high_hit_count INTEGER
    CHECK (high_hit_count IS NULL OR high_hit_count BETWEEN 0 AND hit_count);
