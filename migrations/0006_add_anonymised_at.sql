-- Up Migration
-- When a stay's personal data was removed after its retention period (what remains are anonymous figures).
ALTER TABLE stays ADD COLUMN anonymised_at timestamptz;

-- Down Migration
ALTER TABLE stays DROP COLUMN anonymised_at;
