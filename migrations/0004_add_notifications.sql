-- Up Migration
-- Who is told about reminders and escalations, and how (issue 5). Admin-managed per organisation (institution or
-- bydel id). A webhook's signing secret is stored here and never returned by the API.
CREATE TABLE notification_settings (
  org_id          text PRIMARY KEY,
  webhook_url     text,
  webhook_secret  text,
  updated_at      timestamptz NOT NULL DEFAULT now(),
  updated_by      text,
  CHECK ((webhook_url IS NULL) = (webhook_secret IS NULL))
);

CREATE TABLE notification_recipients (
  org_id       text NOT NULL,
  email        text NOT NULL,
  role         text NOT NULL CHECK (role IN ('coordinator', 'leader')),
  delivery     text NOT NULL DEFAULT 'immediate' CHECK (delivery IN ('immediate', 'digest')),
  -- Oslo wall-clock time of the daily digest
  digest_time  time NOT NULL DEFAULT '07:00',
  PRIMARY KEY (org_id, email)
);

-- One daily digest per recipient and Oslo date; its id is the delivery id (Message-ID) of the e-mail.
CREATE TABLE notification_digests (
  id           uuid PRIMARY KEY,
  org_id       text NOT NULL,
  email        text NOT NULL,
  digest_date  date NOT NULL,
  status       text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),
  attempts     integer NOT NULL DEFAULT 0,
  last_error   text,
  created_at   timestamptz NOT NULL DEFAULT now(),
  sent_at      timestamptz,
  CONSTRAINT notification_digests_once UNIQUE (org_id, email, digest_date)
);
CREATE INDEX notification_digests_pending_idx ON notification_digests (created_at) WHERE status = 'pending';

-- The outbox: written in the same transaction as the escalation it is about, one row per (escalation, channel,
-- recipient) however often the read-model write is retried. Its id is the delivery id receivers deduplicate by.
CREATE TABLE notification_outbox (
  id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  escalation_id  uuid NOT NULL REFERENCES escalations (id) ON DELETE CASCADE,
  channel        text NOT NULL CHECK (channel IN ('email', 'webhook')),
  -- an e-mail address (email) or the organisation whose webhook is called (webhook)
  recipient      text NOT NULL,
  org_id         text NOT NULL,
  mode           text NOT NULL DEFAULT 'immediate' CHECK (mode IN ('immediate', 'digest')),
  status         text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),
  digest_id      uuid REFERENCES notification_digests (id),
  attempts       integer NOT NULL DEFAULT 0,
  last_error     text,
  created_at     timestamptz NOT NULL DEFAULT now(),
  sent_at        timestamptz,
  CONSTRAINT notification_outbox_once UNIQUE (escalation_id, channel, recipient)
);
CREATE INDEX notification_outbox_pending_idx ON notification_outbox (created_at) WHERE status = 'pending';
CREATE INDEX notification_outbox_failed_idx ON notification_outbox (created_at DESC) WHERE status = 'failed';
CREATE INDEX notification_outbox_digest_idx ON notification_outbox (digest_id) WHERE digest_id IS NOT NULL;

-- Down Migration
DROP TABLE notification_outbox;
DROP TABLE notification_digests;
DROP TABLE notification_recipients;
DROP TABLE notification_settings;
