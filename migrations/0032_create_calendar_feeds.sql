-- Up Migration
-- Subscribable calendars (RFC 5545): calendar clients cannot send a bearer token, so a feed is a secret URL. Only a
-- hash of its token is stored (a leaked table opens no feed); a feed is revoked, never edited.
CREATE TABLE calendar_feeds (
  id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  -- sha256 of the token, hex
  token_hash   text        NOT NULL UNIQUE,
  -- user: the stays where the owner is a contact ("mine beboere"); organisation: every stay of the organisation
  kind         text        NOT NULL CHECK (kind IN ('user', 'organisation')),
  owner_sub    text        NOT NULL,
  owner_role   text        NOT NULL CHECK (owner_role IN ('institution', 'bydel')),
  org_id       text        NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  last_used_at timestamptz,
  revoked_at   timestamptz,
  revoked_by   text
);
CREATE INDEX calendar_feeds_owner_idx ON calendar_feeds (owner_sub) WHERE revoked_at IS NULL;
CREATE INDEX calendar_feeds_org_idx ON calendar_feeds (org_id) WHERE revoked_at IS NULL;

-- Whether an organisation's calendars name the resident (pseudonymous reference) in event titles. Off unless the
-- organisation opts in: a calendar synchronised to a phone or a mail server travels further than the app.
CREATE TABLE calendar_settings (
  org_id                  text PRIMARY KEY,
  resident_ref_in_titles  boolean     NOT NULL DEFAULT false,
  updated_at              timestamptz NOT NULL DEFAULT now(),
  updated_by              text
);

-- Down Migration
DROP TABLE calendar_settings;
DROP TABLE calendar_feeds;
