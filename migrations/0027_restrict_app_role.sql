-- Up Migration
-- Least privilege (Normen; OWASP API): migrations run as the schema owner; the API and the worker run as a login role
-- that is a member of `stays_app` (created here, without login, if the cluster does not have it yet). The app may
-- read and write the read model, but the audit trail, the access log and the organisation change log are
-- insert-only for it: nobody who takes over the app can rewrite or erase who did and read what. The two changes
-- retention makes to them run as the functions below, owned by the schema owner, and only as retention allows.
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'stays_app') THEN
    CREATE ROLE stays_app NOLOGIN;
  END IF;
END
$$;

-- One stay's audit trail loses the staff who acted and the free-text reasons, once the stay itself is anonymised.
CREATE FUNCTION anonymise_audit_trail(p_stay_id uuid) RETURNS void
  LANGUAGE sql SECURITY DEFINER SET search_path = public, pg_temp AS $$
  UPDATE audit_events
     SET actor_sub = NULL, details = CASE WHEN jsonb_typeof(details) = 'object' THEN details - 'reason' ELSE details END
   WHERE stay_id = p_stay_id
     AND EXISTS (SELECT 1 FROM stays WHERE id = p_stay_id AND anonymised_at IS NOT NULL)
$$;

-- The access log's own retention: rows older than p_days (at least 180, so that the log can be reviewed) are deleted.
CREATE FUNCTION purge_access_log(p_days integer) RETURNS integer
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  deleted integer;
BEGIN
  IF p_days IS NULL OR p_days < 180 THEN
    RAISE EXCEPTION 'the access log is kept at least 180 days (asked: %)', p_days;
  END IF;
  DELETE FROM access_log WHERE at < now() - make_interval(days => p_days);
  GET DIAGNOSTICS deleted = ROW_COUNT;
  RETURN deleted;
END
$$;

REVOKE ALL ON FUNCTION anonymise_audit_trail(uuid), purge_access_log(integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION anonymise_audit_trail(uuid), purge_access_log(integer) TO stays_app;

GRANT USAGE ON SCHEMA public TO stays_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO stays_app;
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO stays_app;
REVOKE ALL ON pgmigrations FROM stays_app;
REVOKE UPDATE, DELETE, TRUNCATE ON audit_events, access_log, organisation_events FROM stays_app;
-- Tables later migrations create get the same rights (a later migration restricts a log table of its own).
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO stays_app;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO stays_app;

-- Down Migration
ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE USAGE, SELECT ON SEQUENCES FROM stays_app;
ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE SELECT, INSERT, UPDATE, DELETE ON TABLES FROM stays_app;
REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM stays_app;
REVOKE ALL ON ALL TABLES IN SCHEMA public FROM stays_app;
REVOKE USAGE ON SCHEMA public FROM stays_app;
DROP FUNCTION purge_access_log(integer);
DROP FUNCTION anonymise_audit_trail(uuid);
