-- Up Migration
-- A person's work e-mail from their login's `email` claim, kept beside their name: an alarm reaches the one who took
-- the deadline (activities/notifications/enqueue.ts), not only the organisation's coordinators. Staff contact data,
-- scoped like the names: only the worker's outbox and the API's own queries read it.
ALTER TABLE user_directory ADD COLUMN email text CHECK (email IS NULL OR length(email) BETWEEN 3 AND 254);

-- Down Migration
ALTER TABLE user_directory DROP COLUMN email;
