-- Up Migration
-- Whether an organisation's calendars name the resident (calendar_settings, migration 0032) is an administrator's
-- decision about personal data: it goes into the organisation's change log (who, when, before → after), like a rename.
ALTER TABLE organisation_events DROP CONSTRAINT organisation_events_action_check;
ALTER TABLE organisation_events ADD CONSTRAINT organisation_events_action_check CHECK (action IN (
  'organisation.created', 'organisation.renamed', 'organisation.deactivated', 'organisation.reactivated',
  'organisation.calendar-settings-changed'));

-- Down Migration
DELETE FROM organisation_events WHERE action = 'organisation.calendar-settings-changed';
ALTER TABLE organisation_events DROP CONSTRAINT organisation_events_action_check;
ALTER TABLE organisation_events ADD CONSTRAINT organisation_events_action_check CHECK (action IN (
  'organisation.created', 'organisation.renamed', 'organisation.deactivated', 'organisation.reactivated'));
