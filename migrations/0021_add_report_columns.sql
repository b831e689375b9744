-- Up Migration
-- The compliance report counts deadlines by the stay's current institution and bydel (API contract, "Reports"). A
-- report over years reads hundreds of thousands of milestone rows: with the organisations on the row itself and
-- covering indexes it reads only the period's rows of the caller's organisation, from the index alone, without
-- joining stays (bench/reports.ts measures it). The read-model activity rewrites a stay's milestones whenever the
-- stay changes, after writing the stay, so a trigger that copies the stay's organisations on insert keeps them
-- right; a change of organisation on the stay row is passed on as well.
ALTER TABLE stay_milestones
  ADD COLUMN institution_id text,
  ADD COLUMN bydel_id text,
  ADD COLUMN deviated boolean GENERATED ALWAYS AS (deviation IS NOT NULL) STORED;

UPDATE stay_milestones m SET institution_id = s.institution_id, bydel_id = s.bydel_id FROM stays s WHERE s.id = m.stay_id;

CREATE FUNCTION stay_milestones_take_organisations() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  SELECT s.institution_id, s.bydel_id INTO NEW.institution_id, NEW.bydel_id FROM stays s WHERE s.id = NEW.stay_id;
  RETURN NEW;
END $$;
CREATE TRIGGER stay_milestones_organisations BEFORE INSERT ON stay_milestones
  FOR EACH ROW EXECUTE FUNCTION stay_milestones_take_organisations();

CREATE FUNCTION stays_pass_on_organisations() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE stay_milestones SET institution_id = NEW.institution_id, bydel_id = NEW.bydel_id WHERE stay_id = NEW.id;
  RETURN NULL;
END $$;
CREATE TRIGGER stays_organisations AFTER UPDATE OF institution_id, bydel_id ON stays
  FOR EACH ROW WHEN (OLD.institution_id IS DISTINCT FROM NEW.institution_id OR OLD.bydel_id IS DISTINCT FROM NEW.bydel_id)
  EXECUTE FUNCTION stays_pass_on_organisations();

-- deadlines only (escalates): the period for everyone, and per institution and per bydel for their own users
CREATE INDEX stay_milestones_due_report_idx ON stay_milestones (due_date)
  INCLUDE (key, done_at, applicable, deviated, institution_id, bydel_id) WHERE escalates;
CREATE INDEX stay_milestones_institution_report_idx ON stay_milestones (institution_id, due_date)
  INCLUDE (key, done_at, applicable, deviated, bydel_id) WHERE escalates;
CREATE INDEX stay_milestones_bydel_report_idx ON stay_milestones (bydel_id, due_date)
  INCLUDE (key, done_at, applicable, deviated, institution_id) WHERE escalates;
-- the few rows that carry agreed extra status reports, each with its dates in `details`
CREATE INDEX stay_milestones_extra_reports_idx ON stay_milestones (institution_id, bydel_id)
  WHERE key = 'extra-status-report';

-- Down Migration
DROP INDEX stay_milestones_extra_reports_idx;
DROP INDEX stay_milestones_bydel_report_idx;
DROP INDEX stay_milestones_institution_report_idx;
DROP INDEX stay_milestones_due_report_idx;
DROP TRIGGER stays_organisations ON stays;
DROP FUNCTION stays_pass_on_organisations();
DROP TRIGGER stay_milestones_organisations ON stay_milestones;
DROP FUNCTION stay_milestones_take_organisations();
ALTER TABLE stay_milestones DROP COLUMN deviated, DROP COLUMN bydel_id, DROP COLUMN institution_id;
