-- Up Migration
-- Who recorded each completion and event now in effect ({milestones: {key: {role, org}}, events: {type: {role, org}}}),
-- written by the workflow with the stay, so reads no longer replay corrections from the audit trail.
ALTER TABLE stays ADD COLUMN recorded_by jsonb;

-- For stays written before the workflow sent it, and for a write still in flight from a worker of that release:
-- the same answer replayed from the audit trail the way the workflow applies corrections (a withdrawal removes the
-- latest record of its target; a new date keeps its author).
CREATE FUNCTION stay_recorded_by_from_audit(p_stay uuid) RETURNS jsonb
LANGUAGE plpgsql STABLE AS $$
DECLARE
  stacks jsonb := '{}';
  result jsonb := '{"milestones": {}, "events": {}}';
  r record;
  k text;
BEGIN
  FOR r IN
    SELECT action, milestone, actor_role, actor_org, details->'target' AS target FROM audit_events
     WHERE stay_id = p_stay
       AND (action IN ('milestone.completed', 'milestone.onboarded', 'correction.withdraw') OR action LIKE 'event.%')
     ORDER BY seq
  LOOP
    k := NULL;
    IF r.action IN ('milestone.completed', 'milestone.onboarded') AND r.milestone IS NOT NULL THEN
      k := 'm:' || r.milestone;
    ELSIF r.action LIKE 'event.%' THEN
      k := 'e:' || substr(r.action, length('event.') + 1);
    END IF;
    IF k IS NOT NULL THEN
      stacks := jsonb_set(stacks, ARRAY[k], COALESCE(stacks->k, '[]'::jsonb)
        || jsonb_build_array(jsonb_build_object('role', r.actor_role, 'org', r.actor_org)));
    ELSIF r.action = 'correction.withdraw' AND jsonb_typeof(r.target) = 'object' THEN
      k := CASE WHEN r.target->>'milestone' IS NOT NULL THEN 'm:' || (r.target->>'milestone')
                ELSE 'e:' || (r.target->>'event') END;
      IF stacks ? k THEN
        stacks := jsonb_set(stacks, ARRAY[k], (stacks->k) - (-1));
      END IF;
    END IF;
  END LOOP;
  FOR k IN SELECT jsonb_object_keys(stacks) LOOP
    IF jsonb_array_length(stacks->k) > 0 THEN
      result := jsonb_set(result,
        ARRAY[CASE WHEN left(k, 2) = 'm:' THEN 'milestones' ELSE 'events' END, substr(k, 3)], stacks->k->-1);
    END IF;
  END LOOP;
  RETURN result;
END
$$;

UPDATE stays SET recorded_by = stay_recorded_by_from_audit(id) WHERE recorded_by IS NULL;

-- Down Migration
DROP FUNCTION stay_recorded_by_from_audit(uuid);
ALTER TABLE stays DROP COLUMN recorded_by;
