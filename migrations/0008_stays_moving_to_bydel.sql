-- Up Migration
-- A bydel reads the active stays of residents moving to it (housing offered with it as the receiving bydel, §3):
-- the bydel's worklist asks "bydel_id = $1 OR receiving bydel = $1"; this index answers the second half.
CREATE INDEX stays_moving_to_bydel_idx ON stays ((transition->'housingOffered'->>'receivingBydelId'))
  WHERE status = 'active' AND transition->'housingOffered'->>'receivingBydelId' IS NOT NULL;

-- Down Migration
DROP INDEX stays_moving_to_bydel_idx;
