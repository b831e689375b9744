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

-- Down Migration
DROP TABLE stay_milestone_assignees;
