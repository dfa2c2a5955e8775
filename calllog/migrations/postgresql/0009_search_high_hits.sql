-- How many hits of a search the search was sure of (`confidence: high`). A search whose hits
-- are all "vielleicht" counts as one without a hit (calllog.store.UNANSWERED_SEARCH). NULL in
-- rows written before this column: those count by hit_count alone.

ALTER TABLE call_searches ADD COLUMN high_hit_count integer
    CHECK (high_hit_count IS NULL OR high_hit_count BETWEEN 0 AND hit_count);

-- Editors read the new column with the other search statistics (`lotse kb stats`).
-- calllog_apply_access() runs after every migration, so it is extended here: the one of
-- 0008 first, then the editors' grant on this column.
ALTER FUNCTION calllog_apply_access() RENAME TO calllog_apply_access_before_0009;

CREATE FUNCTION calllog_apply_access() RETURNS void
LANGUAGE plpgsql SET search_path = pg_catalog, public AS $$
DECLARE
    e name := (SELECT group_name FROM access_groups WHERE role = 'editor');
BEGIN
    PERFORM calllog_apply_access_before_0009();
    EXECUTE format('GRANT SELECT (high_hit_count) ON call_searches TO %I', e);
    REVOKE ALL ON FUNCTION calllog_apply_access_before_0009() FROM PUBLIC;
    REVOKE ALL ON FUNCTION calllog_apply_access() FROM PUBLIC;
END
$$;

SELECT calllog_apply_access();
