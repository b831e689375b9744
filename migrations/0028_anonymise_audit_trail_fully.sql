-- Up Migration
-- The audit trail is insert-only for the app (0027), so everything retention removes from it runs here, as the owner,
-- and only for a stay already anonymised: the staff who acted and the free-text reasons (0027), and what the later
-- parts of a stay put in their entries — contacts' names and numbers, meeting places and video links, the resident's
-- consent and relatives' answers, the name of an `other` application, the exit plan's task texts (who, by when and
-- whether done remain).
CREATE FUNCTION scrub_exit_plan_part(p jsonb) RETURNS jsonb
  LANGUAGE sql IMMUTABLE SET search_path = public, pg_temp AS $$
  SELECT CASE WHEN p IS NULL OR jsonb_typeof(p) <> 'object' THEN p ELSE (
    SELECT p || COALESCE(jsonb_object_agg(list, (
      SELECT COALESCE(jsonb_agg(jsonb_strip_nulls(jsonb_build_object(
               'owner', t->'owner',
               'dueOn', CASE WHEN t->>'dueOn' <> '' THEN t->'dueOn' END,
               'done', t->'done')) ORDER BY i), '[]'::jsonb)
        FROM jsonb_array_elements(p->list) WITH ORDINALITY AS e(t, i))), '{}'::jsonb)
      FROM unnest(ARRAY['tasks', 'steps']) AS l(list)
     WHERE jsonb_typeof(p->list) = 'array'
  ) END
$$;

CREATE OR REPLACE FUNCTION anonymise_audit_trail(p_stay_id uuid) RETURNS void
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM stays WHERE id = p_stay_id AND anonymised_at IS NOT NULL) THEN
    RETURN;
  END IF;
  UPDATE audit_events
     SET actor_sub = NULL, details = CASE WHEN jsonb_typeof(details) = 'object' THEN details - 'reason' ELSE details END
   WHERE stay_id = p_stay_id;
  UPDATE audit_events SET details = details - 'added' - 'removed' - 'changed'
   WHERE stay_id = p_stay_id AND action LIKE 'contacts.%' AND jsonb_typeof(details) = 'object';
  UPDATE audit_events
     SET details = details #- '{before,place}' #- '{after,place}' #- '{before,videoLink}' #- '{after,videoLink}'
   WHERE stay_id = p_stay_id AND action LIKE 'meeting.%' AND jsonb_typeof(details) = 'object';
  UPDATE audit_events SET details = details - 'before' - 'after'
   WHERE stay_id = p_stay_id AND (action LIKE 'consent.%' OR action LIKE 'relatives.%')
     AND jsonb_typeof(details) = 'object';
  UPDATE audit_events SET details = details #- '{before,otherType}' #- '{after,otherType}'
   WHERE stay_id = p_stay_id AND action LIKE 'application.%' AND jsonb_typeof(details) = 'object';
  UPDATE audit_events a
     SET details = a.details || jsonb_build_object('changes', (
       SELECT COALESCE(jsonb_object_agg(c.key, jsonb_build_object(
                'from', scrub_exit_plan_part(c.value->'from'),
                'to', scrub_exit_plan_part(c.value->'to'))), '{}'::jsonb)
         FROM jsonb_each(a.details->'changes') AS c))
   WHERE a.stay_id = p_stay_id AND a.action = 'exit-plan.updated' AND jsonb_typeof(a.details->'changes') = 'object';
END
$$;

REVOKE ALL ON FUNCTION anonymise_audit_trail(uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION anonymise_audit_trail(uuid) TO stays_app;

-- Down Migration
CREATE OR REPLACE FUNCTION anonymise_audit_trail(p_stay_id uuid) RETURNS void
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
  UPDATE audit_events
     SET actor_sub = NULL, details = CASE WHEN jsonb_typeof(details) = 'object' THEN details - 'reason' ELSE details END
   WHERE stay_id = p_stay_id
     AND EXISTS (SELECT 1 FROM stays WHERE id = p_stay_id AND anonymised_at IS NOT NULL);
END
$$;
DROP FUNCTION scrub_exit_plan_part(jsonb);
