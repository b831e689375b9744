-- Up Migration
-- Rules version 3 in the read model: a deviation one party proposed as agreed by both, waiting for the other (§1); why
-- an open milestone raises no further alarm (a housing offer, §2); and the interpretations each stay runs with, so its
-- page shows its own ("hver 2. måned") rather than the running configuration's.
ALTER TABLE stay_milestones
  ADD COLUMN pending_deviation jsonb,
  ADD COLUMN silenced_by text;
ALTER TABLE stays ADD COLUMN interpretations jsonb;

-- Down Migration
ALTER TABLE stays DROP COLUMN interpretations;
ALTER TABLE stay_milestones DROP COLUMN silenced_by, DROP COLUMN pending_deviation;
