-- Up Migration
-- Applications and referrals over time (§2.2): added after the `applications` milestone recorded the first ones, and
-- followed to their outcome; whether the institution's own report ("egen rapport") went with it. An application
-- recorded with the milestone gets a row here (origin 'milestone', its id derived from the stay and its place in
-- the milestone's list) the first time something more is recorded about it. Written by the API; audited in the
-- stay's trail; the free-text name of an `other` application is cleared by the retention anonymisation.
CREATE TABLE stay_applications (
  id               uuid PRIMARY KEY,
  stay_id          uuid        NOT NULL REFERENCES stays (id) ON DELETE CASCADE,
  origin           text        NOT NULL CHECK (origin IN ('milestone', 'added')),
  type             text        NOT NULL CHECK (type IN ('municipal-housing', 'startlan', 'booppfolging',
                     'voluntary-financial-management', 'outpatient-substance-treatment', 'fact',
                     'further-institution-place', 'other')),
  other_type       text,
  responsible      text        NOT NULL CHECK (responsible IN ('institution', 'bydel', 'resident')),
  sent_on          date        NOT NULL,
  outcome          text        NOT NULL DEFAULT 'pending' CHECK (outcome IN ('pending', 'granted', 'refused')),
  outcome_on       date,
  report_attached  boolean     NOT NULL DEFAULT false,
  created_by       text,
  idempotency_key  text,
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now(),
  CHECK ((outcome = 'pending') = (outcome_on IS NULL)),
  -- a retried POST with the same Idempotency-Key from the same user finds the application it added
  CONSTRAINT stay_applications_once UNIQUE (stay_id, created_by, idempotency_key)
);
CREATE INDEX stay_applications_stay_idx ON stay_applications (stay_id, sent_on);

-- Down Migration
DROP TABLE stay_applications;
