-- Up Migration
-- A notification queued for an organisation that is no longer the stay's (a bydel change handed the stay over before
-- it went out) is cancelled instead of sent: the old bydel no longer has access to the stay.
ALTER TABLE notification_outbox DROP CONSTRAINT notification_outbox_status_check;
ALTER TABLE notification_outbox ADD CONSTRAINT notification_outbox_status_check
  CHECK (status IN ('pending', 'sent', 'failed', 'cancelled'));

-- Down Migration
UPDATE notification_outbox SET status = 'failed' WHERE status = 'cancelled';
ALTER TABLE notification_outbox DROP CONSTRAINT notification_outbox_status_check;
ALTER TABLE notification_outbox ADD CONSTRAINT notification_outbox_status_check
  CHECK (status IN ('pending', 'sent', 'failed'));
