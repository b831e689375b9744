-- Up Migration
-- Notifications about events, beside those about escalations (§3 "involveres så tidlig som mulig"): housing offered
-- in a bydel, a status report or the final report for the bydel, a meeting planned, moved or cancelled for the
-- invited. Written in the same transaction as what they are about, keyed so that a retried write finds its event.
CREATE TABLE notification_events (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  -- deterministic: audit:<stay>:<seq> for what the workflow recorded, meeting:<id>:<what>:<n> for meetings
  event_key       text        NOT NULL UNIQUE,
  stay_id         uuid        NOT NULL REFERENCES stays (id) ON DELETE CASCADE,
  kind            text        NOT NULL CHECK (kind IN ('housing-offered', 'status-report-received', 'final-report-sent',
                                'meeting-planned', 'meeting-moved', 'meeting-cancelled')),
  institution_id  text        NOT NULL,
  bydel_id        text        NOT NULL,
  -- dates, milestone, the bydel moved to; never places or names
  details         jsonb       NOT NULL DEFAULT '{}',
  created_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX notification_events_stay_idx ON notification_events (stay_id);

-- An outbox row is about an escalation or about an event, once per channel and recipient either way.
ALTER TABLE notification_outbox
  ALTER COLUMN escalation_id DROP NOT NULL,
  ADD COLUMN event_id uuid REFERENCES notification_events (id) ON DELETE CASCADE,
  ADD CONSTRAINT notification_outbox_about_one CHECK (num_nonnulls(escalation_id, event_id) = 1),
  ADD CONSTRAINT notification_outbox_event_once UNIQUE (event_id, channel, recipient);

-- Down Migration
DELETE FROM notification_outbox WHERE event_id IS NOT NULL;
ALTER TABLE notification_outbox
  DROP CONSTRAINT notification_outbox_event_once,
  DROP CONSTRAINT notification_outbox_about_one,
  DROP COLUMN event_id,
  ALTER COLUMN escalation_id SET NOT NULL;
DROP TABLE notification_events;
