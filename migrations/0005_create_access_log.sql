-- Up Migration
-- Every read of a stay's details or history, by anyone (Normen: access logging and follow-up of logs).
CREATE TABLE access_log (
  id          bigserial PRIMARY KEY,
  at          timestamptz NOT NULL DEFAULT now(),
  actor_sub   text        NOT NULL,
  actor_role  text        NOT NULL,
  actor_org   text,
  stay_id     uuid,
  view        text        NOT NULL,
  request_id  text
);
CREATE INDEX access_log_stay_idx ON access_log (stay_id, at DESC);
CREATE INDEX access_log_actor_idx ON access_log (actor_sub, at DESC);

-- Down Migration
DROP TABLE access_log;
