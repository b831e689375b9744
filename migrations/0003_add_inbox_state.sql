-- Up Migration
-- The inbox: what a person did with an escalation addressed to their organisation. Whether it is resolved is not
-- stored: it follows from the milestone (done, not applicable, or moved to another due date).
ALTER TABLE escalations
  ADD COLUMN acknowledged_at  timestamptz,
  ADD COLUMN acknowledged_by  text,
  ADD COLUMN assigned_to      text,
  ADD COLUMN assigned_at      timestamptz;

CREATE INDEX escalations_stay_milestone_idx ON escalations (stay_id, milestone);

-- Down Migration
DROP INDEX escalations_stay_milestone_idx;
ALTER TABLE escalations DROP COLUMN assigned_at, DROP COLUMN assigned_to, DROP COLUMN acknowledged_by, DROP COLUMN acknowledged_at;
