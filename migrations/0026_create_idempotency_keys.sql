-- Up Migration
-- Idempotency-Key, scoped and bound: one row per (user, method and path, key), hashed, with the hash of the body it
-- was first used with. A retry with the same body proceeds (Temporal deduplicates it by the scoped key); the same key
-- with another body is refused. Rows older than the retention of keys are deleted by the retention sweep.
CREATE TABLE idempotency_keys (
  scoped_key   text PRIMARY KEY,
  body_sha256  text NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX idempotency_keys_created_idx ON idempotency_keys (created_at);

-- Down Migration
DROP TABLE idempotency_keys;
