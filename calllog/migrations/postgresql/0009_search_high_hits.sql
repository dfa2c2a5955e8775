-- How many hits of a search the search was sure of (`confidence: high`). A search whose hits
-- are all "vielleicht" counts as one without a hit (calllog.store.UNANSWERED_SEARCH). NULL in
-- rows written before this column: those count by hit_count alone.
-- (0006 is left to the PBX facts of `lotse recorder`.)

ALTER TABLE call_searches ADD COLUMN high_hit_count integer
    CHECK (high_hit_count IS NULL OR high_hit_count BETWEEN 0 AND hit_count);

-- Editors read the new column with the other search statistics (`lotse kb stats`): the
-- access function of 0008 with `high_hit_count` in the editors' grant; `lotse db upgrade`
-- runs it after this migration.
CREATE OR REPLACE FUNCTION calllog_apply_access() RETURNS void
LANGUAGE plpgsql SET search_path = pg_catalog, public AS $$
DECLARE
    a name := (SELECT group_name FROM access_groups WHERE role = 'agent');
    s name := (SELECT group_name FROM access_groups WHERE role = 'supervisor');
    e name := (SELECT group_name FROM access_groups WHERE role = 'editor');
    t text;
    cols text;
BEGIN
    -- Who may connect: the three groups (the owner and superusers always may).
    EXECUTE format('REVOKE CONNECT, TEMPORARY ON DATABASE %I FROM PUBLIC', current_database());
    EXECUTE format('GRANT CONNECT ON DATABASE %I TO %I, %I, %I', current_database(), a, s, e);

    -- A clean slate for the groups, then what each needs.
    EXECUTE format('REVOKE ALL ON ALL TABLES IN SCHEMA public FROM %I, %I, %I', a, s, e);
    EXECUTE format('REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM %I, %I, %I', a, s, e);
    EXECUTE format('GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO %I, %I', a, s);
    EXECUTE format('GRANT SELECT ON schema_migrations, access_groups, personal_columns'
                   ' TO %I, %I, %I', a, s, e);

    -- Supervisors: everything.
    EXECUTE format('GRANT SELECT ON ALL TABLES IN SCHEMA public TO %I', s);
    EXECUTE format('GRANT INSERT, UPDATE ON calls, call_topics, call_searches, callbacks,'
                   ' article_feedback TO %I', s);
    EXECUTE format('GRANT DELETE ON call_topics, call_searches TO %I', s);
    EXECUTE format('GRANT INSERT ON outcome_history TO %I', s);

    -- Agents: the columns of calls and tickets that are not personal; writes of their own.
    FOREACH t IN ARRAY ARRAY['calls', 'callbacks'] LOOP
        SELECT string_agg(quote_ident(c.column_name::text), ', ' ORDER BY c.ordinal_position)
          INTO cols
          FROM information_schema.columns c
         WHERE c.table_schema = 'public' AND c.table_name = t
           AND NOT EXISTS (SELECT 1 FROM personal_columns p
                            WHERE p.table_name = t AND p.column_name = c.column_name::text);
        EXECUTE format('GRANT SELECT (%s) ON %I TO %I', cols, t, a);
        EXECUTE format('GRANT INSERT, UPDATE ON %I TO %I', t, a);
    END LOOP;
    EXECUTE format('GRANT SELECT, INSERT, DELETE ON call_topics, call_searches TO %I', a);
    EXECUTE format('GRANT INSERT ON outcome_history TO %I', a);
    EXECUTE format('GRANT SELECT, INSERT, UPDATE ON article_feedback TO %I', a);

    -- Editors: the flags, and the search statistics without the link to a call.
    EXECUTE format('GRANT SELECT, UPDATE ON article_feedback TO %I', e);
    EXECUTE format('GRANT SELECT (query, hit_count, high_hit_count, searched_at, offered_at)'
                   ' ON call_searches TO %I', e);
    EXECUTE format('GRANT SELECT (article_id, leika_key, offered_at, outcome)'
                   ' ON call_topics TO %I', e);

    -- Row-level security: which rows each group reads and writes.
    FOREACH t IN ARRAY ARRAY['calls', 'call_topics', 'call_searches', 'outcome_history',
                             'callbacks', 'article_feedback'] LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('DROP POLICY IF EXISTS supervisors ON %I', t);
        EXECUTE format('DROP POLICY IF EXISTS agents ON %I', t);
        EXECUTE format('DROP POLICY IF EXISTS editors ON %I', t);
        EXECUTE format('CREATE POLICY supervisors ON %I TO %I USING (true) WITH CHECK (true)',
                       t, s);
    END LOOP;
    EXECUTE format('CREATE POLICY agents ON calls TO %I USING (agent_id = current_user)'
                   ' WITH CHECK (agent_id = current_user)', a);
    FOREACH t IN ARRAY ARRAY['call_topics', 'call_searches', 'outcome_history'] LOOP
        EXECUTE format('CREATE POLICY agents ON %1$I TO %2$I'
                       ' USING (EXISTS (SELECT 1 FROM calls c WHERE c.call_id = %1$I.call_id))'
                       ' WITH CHECK (EXISTS (SELECT 1 FROM calls c'
                       ' WHERE c.call_id = %1$I.call_id))', t, a);
    END LOOP;
    EXECUTE format('CREATE POLICY agents ON callbacks TO %I USING (created_by = current_user)'
                   ' WITH CHECK (created_by = current_user)', a);
    EXECUTE format('CREATE POLICY agents ON article_feedback TO %I'
                   ' USING (agent_id = current_user) WITH CHECK (agent_id = current_user)', a);
    EXECUTE format('CREATE POLICY editors ON article_feedback TO %I USING (true)'
                   ' WITH CHECK (true)', e);
    EXECUTE format('CREATE POLICY editors ON call_searches FOR SELECT TO %I USING (true)', e);
    EXECUTE format('CREATE POLICY editors ON call_topics FOR SELECT TO %I USING (true)', e);

    -- Agents' views of their own rows, personal columns masked (also for psql).
    PERFORM calllog_agent_view('calls', 'my_calls', 'agent_id = current_user');
    PERFORM calllog_agent_view('callbacks', 'my_callbacks', 'created_by = current_user');
    EXECUTE format('GRANT SELECT ON my_calls, my_callbacks TO %I, %I', a, s);

    -- The functions: only for those who need them.
    REVOKE ALL ON FUNCTION calllog_my_calls_from(text) FROM PUBLIC;
    EXECUTE format('GRANT EXECUTE ON FUNCTION calllog_my_calls_from(text) TO %I', a);
    REVOKE ALL ON FUNCTION calllog_apply_access() FROM PUBLIC;
    REVOKE ALL ON FUNCTION calllog_agent_view(text, text, text) FROM PUBLIC;
END
$$;
