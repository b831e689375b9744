-- Up Migration
-- One alarm per deadline: the ladder of one milestone and due date (reminder → overdue → second level) is one inbox
-- item whose level climbs, not a card per step. Each step stays its own row in `escalations` (GET /api/escalations,
-- the notifications); what a person did about the deadline (acknowledged, taken) is kept here, once per deadline.
-- An alarm's id is the id of the escalation that opened it, so an inbox id handed out before this migration still works.
CREATE TABLE deadline_alarms (
  id                  uuid PRIMARY KEY,
  stay_id             uuid        NOT NULL REFERENCES stays (id) ON DELETE CASCADE,
  milestone           text        NOT NULL,
  due_date            date        NOT NULL,
  -- the highest step raised so far, and the escalation that raised it
  level               text        NOT NULL CHECK (level IN ('reminder', 'overdue', 'second-level')),
  level_rank          smallint    NOT NULL CHECK (level_rank BETWEEN 1 AND 3),
  escalation_id       uuid        NOT NULL,
  recipient_role      text        NOT NULL CHECK (recipient_role IN ('institution', 'bydel', 'both')),
  institution_id      text        NOT NULL,
  bydel_id            text        NOT NULL,
  first_raised_at     timestamptz NOT NULL,
  level_raised_at     timestamptz NOT NULL,
  -- cleared when a higher level is raised: the deadline is open again for whoever must act on it now
  acknowledged_at     timestamptz,
  acknowledged_by     text,
  acknowledged_level  text,
  assigned_to         text,
  assigned_at         timestamptz,
  CONSTRAINT deadline_alarms_once UNIQUE (stay_id, milestone, due_date)
);
CREATE INDEX deadline_alarms_institution_idx ON deadline_alarms (institution_id, level_raised_at DESC);
CREATE INDEX deadline_alarms_bydel_idx ON deadline_alarms (bydel_id, level_raised_at DESC);

ALTER TABLE escalations ADD COLUMN alarm_id uuid REFERENCES deadline_alarms (id) ON DELETE CASCADE;

-- The steps raised before this migration: one alarm per deadline at its highest level. It counts as acknowledged
-- only when that highest step was (a later level re-opens a deadline); the latest assignment carries over.
INSERT INTO deadline_alarms (id, stay_id, milestone, due_date, level, level_rank, escalation_id, recipient_role,
  institution_id, bydel_id, first_raised_at, level_raised_at, acknowledged_at, acknowledged_by, acknowledged_level,
  assigned_to, assigned_at)
SELECT
  (SELECT f.id FROM escalations f WHERE f.stay_id = top.stay_id AND f.milestone = top.milestone AND f.due_date = top.due_date
     ORDER BY f.created_at, f.id LIMIT 1),
  top.stay_id, top.milestone, top.due_date, top.kind, top.rank, top.id, top.recipient_role, top.institution_id,
  top.bydel_id,
  (SELECT min(f.created_at) FROM escalations f WHERE f.stay_id = top.stay_id AND f.milestone = top.milestone AND f.due_date = top.due_date),
  top.created_at, top.acknowledged_at, top.acknowledged_by, CASE WHEN top.acknowledged_at IS NOT NULL THEN top.kind END,
  assigned.assigned_to, assigned.assigned_at
FROM (
  SELECT DISTINCT ON (stay_id, milestone, due_date) e.*,
    CASE e.kind WHEN 'reminder' THEN 1 WHEN 'overdue' THEN 2 ELSE 3 END AS rank
  FROM escalations e
  ORDER BY stay_id, milestone, due_date, CASE e.kind WHEN 'reminder' THEN 1 WHEN 'overdue' THEN 2 ELSE 3 END DESC, created_at DESC
) top
LEFT JOIN LATERAL (
  SELECT a.assigned_to, a.assigned_at FROM escalations a
  WHERE a.stay_id = top.stay_id AND a.milestone = top.milestone AND a.due_date = top.due_date AND a.assigned_to IS NOT NULL
  ORDER BY a.assigned_at DESC NULLS LAST LIMIT 1
) assigned ON TRUE;

UPDATE escalations e SET alarm_id = a.id FROM deadline_alarms a
WHERE a.stay_id = e.stay_id AND a.milestone = e.milestone AND a.due_date = e.due_date;

CREATE INDEX escalations_alarm_idx ON escalations (alarm_id);

-- Down Migration
DROP INDEX escalations_alarm_idx;
ALTER TABLE escalations DROP COLUMN alarm_id;
DROP TABLE deadline_alarms;
