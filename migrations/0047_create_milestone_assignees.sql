-- Up Migration
-- "Ta saken" on a milestone: the person who follows a milestone of a stay up, shown by name. Written by the API,
-- not by the stay's workflow (who follows a task up decides no deadline). One person per milestone; taking it over
-- replaces them, every change is in the stay's audit trail (who, when, before → after). The user id is staff data:
-- deleted when the stay is anonymised (activities/read-model/anonymise-stay.ts).
CREATE TABLE stay_milestone_assignees (
  stay_id      uuid        NOT NULL REFERENCES stays (id) ON DELETE CASCADE,
  milestone    text        NOT NULL,
  assigned_to  text        NOT NULL,
  assigned_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (stay_id, milestone)
);
-- the inbox's "mine": the deadlines of the milestones a person took
CREATE INDEX stay_milestone_assignees_user_idx ON stay_milestone_assignees (assigned_to);

-- The audit trail's entries of taking and giving back (milestone.taken, milestone.given-back) name staff: retention
-- removes them with the rest of the stay's staff data (the whole function, as 0028 defined it, plus that step).
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
  UPDATE audit_events a
     SET details = a.details || jsonb_build_object('changes', (
       SELECT COALESCE(jsonb_object_agg(c.key, jsonb_build_object(
                'from', scrub_exit_plan_part(c.value->'from'),
                'to', scrub_exit_plan_part(c.value->'to'))), '{}'::jsonb)
         FROM jsonb_each(a.details->'changes') AS c))
   WHERE a.stay_id = p_stay_id AND a.action = 'exit-plan.updated' AND jsonb_typeof(a.details->'changes') = 'object';
END
$$;
DROP TABLE stay_milestone_assignees;
