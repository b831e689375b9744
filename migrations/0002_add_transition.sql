-- Up Migration
-- §3 transition and the life of a stay: events, exit plan, periods (one jsonb, read whole with the stay),
-- agreed deviations per milestone, the rule-set version a stay runs under, and the stay a move continues.
ALTER TABLE stays
  ADD COLUMN rules_version     integer NOT NULL DEFAULT 1,
  ADD COLUMN previous_stay_id  uuid REFERENCES stays (id),
  ADD COLUMN transition        jsonb;

ALTER TABLE stay_milestones
  ADD COLUMN deviation  jsonb,
  ADD COLUMN closed_by  text;

-- Down Migration
ALTER TABLE stay_milestones DROP COLUMN closed_by, DROP COLUMN deviation;
ALTER TABLE stays DROP COLUMN transition, DROP COLUMN previous_stay_id, DROP COLUMN rules_version;
