-- Roles enforced where the data is. Each person connects as their own login, named
-- after their agent id (`lotse db user add NAME --role agent|supervisor|editor`), which
-- is a member of one of three group roles of this database. Column grants and row-level
-- security decide what each reads and writes, whatever a workstation's settings say:
--   agent       their own calls and tickets; of calls no caller number, name or notes
--               (`my_calls` shows the number masked); a ticket's number, name and
--               question only while it is still to be called back (`my_callbacks`);
--               their own article flags
--   supervisor  everything
--   editor      article flags and the search statistics (texts, hit counts, topics),
--               without the link to a call
-- The owner of the tables (who runs `lotse db upgrade`) is not restricted.
-- `calllog_apply_access()` applies grants, policies and views from scratch; `lotse db
-- upgrade` runs it after every migration, so columns added later are covered. Personal
-- columns are listed in `personal_columns`: a migration adding one inserts it there.
-- Running this needs CREATEROLE (or a superuser): it creates the three group roles,
-- named after the database (`lotse_agent`, ... for a database `lotse`).
-- (0006 is left to the PBX facts of `lotse recorder`.)

CREATE TABLE access_groups (
    role       text PRIMARY KEY CHECK (role IN ('agent', 'supervisor', 'editor')),
    group_name name NOT NULL UNIQUE
);
INSERT INTO access_groups (role, group_name)
SELECT r, left(current_database(), 40) || '_' || r
FROM unnest(ARRAY['agent', 'supervisor', 'editor']) AS r;

CREATE TABLE personal_columns (
    table_name  text NOT NULL,
    column_name text NOT NULL,
    agent_view  text NOT NULL,  -- the SQL expression agents see in my_<table>
    PRIMARY KEY (table_name, column_name)
);
INSERT INTO personal_columns (table_name, column_name, agent_view) VALUES
    ('calls', 'caller_number', 'calllog_mask_number(caller_number)'),
    ('calls', 'caller_name', 'NULL::text'),
    ('calls', 'notes', 'NULL::text'),
    ('callbacks', 'number', 'CASE WHEN status IN (''open'', ''in_progress'') THEN number'
                            ' ELSE calllog_mask_number(number) END'),
    ('callbacks', 'caller_name', 'CASE WHEN status IN (''open'', ''in_progress'')'
                                 ' THEN caller_name END'),
    ('callbacks', 'clarify', 'CASE WHEN status IN (''open'', ''in_progress'') THEN clarify END');

DO $$
DECLARE
    g name;
BEGIN
    FOR g IN SELECT group_name FROM access_groups LOOP
        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = g) THEN
            EXECUTE format('CREATE ROLE %I NOLOGIN', g);
        END IF;
    END LOOP;
END
$$;

-- The number masked as calllog.privacy.mask_number does: the country code (or the first
-- four characters), then a dot per hidden digit, then the last two digits.
CREATE FUNCTION calllog_mask_number(n text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE
        WHEN n IS NULL OR n = '' THEN n
        WHEN length(regexp_replace(n, '[^0-9]', '', 'g')) <= 4 THEN repeat('•', length(n))
        ELSE rtrim(left(n, p.head)) || ' '
             || repeat('•', length(regexp_replace(
                    substr(n, p.head + 1, greatest(length(n) - p.head - length(p.tail), 0)),
                    '[^0-9]', '', 'g')))
             || p.tail
    END
    FROM (SELECT
            CASE WHEN n LIKE '+%'
                 THEN 1 + length(coalesce(substring(substr(n, 2, 2) from '^[0-9]*'), ''))
                 ELSE least(4, length(n)) END AS head,
            coalesce(substring(n from '[0-9][^0-9]*[0-9][^0-9]*$'), '') AS tail) AS p
$$;

-- What the session's login may do here: admin (owns the tables), supervisor, agent,
-- editor, or none.
CREATE FUNCTION calllog_access_role() RETURNS text
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
    SELECT CASE
        WHEN pg_has_role(session_user,
                         (SELECT relowner FROM pg_class WHERE oid = 'public.calls'::regclass),
                         'MEMBER') THEN 'admin'
        ELSE coalesce(
            (SELECT g.role FROM public.access_groups g
              WHERE pg_has_role(session_user, g.group_name, 'MEMBER')
              ORDER BY array_position(ARRAY['supervisor', 'agent', 'editor'], g.role)
              LIMIT 1),
            'none')
    END
$$;

-- An agent's own calls from a number they know (the console's caller history), without
-- reading the numbers themselves.
CREATE FUNCTION calllog_my_calls_from(text) RETURNS SETOF text
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
    SELECT call_id FROM public.calls WHERE caller_number = $1 AND agent_id = session_user
$$;

-- my_<table>: the agent's own rows of `base`, personal columns as `personal_columns` says.
CREATE FUNCTION calllog_agent_view(base text, target text, mine text) RETURNS void
LANGUAGE plpgsql SET search_path = pg_catalog, public AS $$
DECLARE
    cols text;
BEGIN
    SELECT string_agg(coalesce(p.agent_view, quote_ident(c.column_name::text))
                      || ' AS ' || quote_ident(c.column_name::text), ', '
                      ORDER BY c.ordinal_position)
      INTO cols
      FROM information_schema.columns c
      LEFT JOIN personal_columns p
        ON p.table_name = c.table_name::text AND p.column_name = c.column_name::text
     WHERE c.table_schema = 'public' AND c.table_name = base;
    EXECUTE format('DROP VIEW IF EXISTS public.%I', target);
    EXECUTE format('CREATE VIEW public.%I WITH (security_barrier) AS SELECT %s FROM public.%I'
                   ' WHERE %s',
                   target, cols, base, mine);
END
$$;

CREATE FUNCTION calllog_apply_access() RETURNS void
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
    EXECUTE format('GRANT SELECT (query, hit_count, searched_at, offered_at)'
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

SELECT calllog_apply_access();
