-- Up Migration
-- The outcome report's readmissions (rules/report-definitions.ts): is there a later stay of the same resident
-- reference, or one that continues this stay? One index probe per ended stay instead of a scan of all stays.
CREATE INDEX stays_resident_ref_idx ON stays (resident_ref, admitted_at);
CREATE INDEX stays_previous_stay_idx ON stays (previous_stay_id) WHERE previous_stay_id IS NOT NULL;

-- Down Migration
DROP INDEX stays_previous_stay_idx;
DROP INDEX stays_resident_ref_idx;
