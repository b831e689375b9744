-- Up Migration
-- Taking a deadline in the inbox ("Ta saken") is in the stay's audit trail (escalation.taken, from whom to whom) as
-- taking a milestone is. Those entries name staff: retention removes them as it does for milestone.taken (0047);
-- the function as 0047 defined it, with escalation.taken added to that step.
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
  -- who followed a milestone or a deadline up (migrations 0047, 0052): staff, by user id and name
  UPDATE audit_events SET details = details - 'from' - 'to'
   WHERE stay_id = p_stay_id AND (action LIKE 'milestone.%' OR action = 'escalation.taken')
     AND jsonb_typeof(details) = 'object';
  UPDATE audit_events a
     SET details = a.details || jsonb_build_object('changes', (
       SELECT COALESCE(jsonb_object_agg(c.key, jsonb_build_object(
                'from', scrub_exit_plan_part(c.value->'from'),
                'to', scrub_exit_plan_part(c.value->'to'))), '{}'::jsonb)
         FROM jsonb_each(a.details->'changes') AS c))
   WHERE a.stay_id = p_stay_id AND a.action = 'exit-plan.updated' AND jsonb_typeof(a.details->'changes') = 'object';
END
$$;

-- Down Migration
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
  -- who followed a milestone up (migration 0047): staff, by user id and name
  UPDATE audit_events SET details = details - 'from' - 'to'
   WHERE stay_id = p_stay_id AND action LIKE 'milestone.%' AND jsonb_typeof(details) = 'object';
  UPDATE audit_events a
     SET details = a.details || jsonb_build_object('changes', (
       SELECT COALESCE(jsonb_object_agg(c.key, jsonb_build_object(
                'from', scrub_exit_plan_part(c.value->'from'),
                'to', scrub_exit_plan_part(c.value->'to'))), '{}'::jsonb)
         FROM jsonb_each(a.details->'changes') AS c))
   WHERE a.stay_id = p_stay_id AND a.action = 'exit-plan.updated' AND jsonb_typeof(a.details->'changes') = 'object';
END
$$;
