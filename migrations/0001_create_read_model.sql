-- Up Migration
-- The read model of stays, written only by workflow activities (idempotently, guarded by the workflow's revision).
-- Lists, filters and reports read from here, never from Temporal.

CREATE TABLE stays (
  id              uuid PRIMARY KEY,
  resident_ref    text        NOT NULL,
  institution_id  text        NOT NULL,
  bydel_id        text        NOT NULL,
  admitted_at     date        NOT NULL,
  status          text        NOT NULL CHECK (status IN ('active', 'completed', 'ended')),
  convener        text        NOT NULL CHECK (convener IN ('institution', 'bydel')),
  revision        integer     NOT NULL,
  created_at      timestamptz NOT NULL,
  updated_at      timestamptz NOT NULL
);
CREATE INDEX stays_institution_idx ON stays (institution_id, admitted_at DESC);
CREATE INDEX stays_bydel_idx ON stays (bydel_id, admitted_at DESC);

CREATE TABLE stay_milestones (
  stay_id            uuid    NOT NULL REFERENCES stays (id) ON DELETE CASCADE,
  key                text    NOT NULL,
  due_date           date,
  original_due_date  date,
  done_at            date,
  applicable         boolean NOT NULL DEFAULT true,
  recurring          boolean NOT NULL DEFAULT false,
  escalates          boolean NOT NULL DEFAULT true,
  responsible        text    NOT NULL CHECK (responsible IN ('institution', 'bydel', 'both')),
  details            jsonb,
  position           integer NOT NULL,
  PRIMARY KEY (stay_id, key)
);
-- "which stays have a milestone overdue" = open, escalating, due before today
CREATE INDEX stay_milestones_open_due_idx ON stay_milestones (due_date)
  WHERE done_at IS NULL AND applicable AND escalates;

CREATE TABLE escalations (
  id             uuid PRIMARY KEY,
  stay_id        uuid        NOT NULL REFERENCES stays (id) ON DELETE CASCADE,
  milestone      text        NOT NULL,
  kind           text        NOT NULL CHECK (kind IN ('reminder', 'overdue', 'second-level')),
  due_date       date        NOT NULL,
  recipient_role text        NOT NULL CHECK (recipient_role IN ('institution', 'bydel', 'both')),
  institution_id text        NOT NULL,
  bydel_id       text        NOT NULL,
  created_at     timestamptz NOT NULL,
  -- exactly one escalation of a kind per milestone and due date, however often a worker retries or restarts
  CONSTRAINT escalations_once UNIQUE (stay_id, milestone, kind, due_date)
);
CREATE INDEX escalations_institution_idx ON escalations (institution_id, created_at DESC);
CREATE INDEX escalations_bydel_idx ON escalations (bydel_id, created_at DESC);

CREATE TABLE audit_events (
  stay_id     uuid        NOT NULL REFERENCES stays (id) ON DELETE CASCADE,
  seq         integer     NOT NULL,
  at          timestamptz NOT NULL,
  actor_sub   text,
  actor_role  text        NOT NULL,
  actor_org   text,
  action      text        NOT NULL,
  milestone   text,
  details     jsonb,
  PRIMARY KEY (stay_id, seq)
);

-- Down Migration
DROP TABLE audit_events;
DROP TABLE escalations;
DROP TABLE stay_milestones;
DROP TABLE stays;
