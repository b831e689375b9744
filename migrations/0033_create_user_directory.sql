-- Up Migration
-- People by name instead of by user id ("Følges opp av Kari Nordmann"): the name claim of each user's token, kept
-- from their latest request. Staff names are personal data: shown only to signed-in users, never logged.
CREATE TABLE user_directory (
  sub         text PRIMARY KEY,
  name        text        NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 200),
  role        text        NOT NULL,
  org         text,
  updated_at  timestamptz NOT NULL DEFAULT now()
);

-- "Mine" in the inbox: the items a person took
CREATE INDEX escalations_assigned_to_idx ON escalations (assigned_to) WHERE assigned_to IS NOT NULL;

-- Down Migration
DROP INDEX escalations_assigned_to_idx;
DROP TABLE user_directory;
