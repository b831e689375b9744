-- Up Migration
-- The register of organisations (issue: organisation register): institutions and bydeler by the id the API stores
-- in stays (institution_id, bydel_id) and tokens (org). Admin-managed; a deactivated organisation stays in the
-- register (old stays keep its name) but can no longer be named as a stay's bydel. Names are not personal data.
CREATE TABLE organisations (
  id          text PRIMARY KEY CHECK (id ~ '^[A-Za-z0-9._-]{1,64}$'),
  kind        text        NOT NULL CHECK (kind IN ('institution', 'bydel')),
  name        text        NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 200),
  active      boolean     NOT NULL DEFAULT true,
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now(),
  updated_by  text
);
-- one name per kind: two "Bydel Alna" in a select would be a trap
CREATE UNIQUE INDEX organisations_kind_name_idx ON organisations (kind, lower(name));

-- Who changed the register, when, and what changed (before → after). audit_events belongs to a stay, so the
-- register has its own trail.
CREATE TABLE organisation_events (
  id          bigserial PRIMARY KEY,
  org_id      text        NOT NULL REFERENCES organisations (id),
  at          timestamptz NOT NULL DEFAULT now(),
  actor_sub   text,
  actor_role  text        NOT NULL,
  action      text        NOT NULL CHECK (action IN ('organisation.created', 'organisation.renamed', 'organisation.deactivated', 'organisation.reactivated')),
  details     jsonb
);
CREATE INDEX organisation_events_org_idx ON organisation_events (org_id, id);

-- Oslo's 15 bydeler, with the ids the web app has used since the start.
INSERT INTO organisations (id, kind, name, updated_by) VALUES
  ('bydel-alna', 'bydel', 'Bydel Alna', 'migration 0007'),
  ('bydel-bjerke', 'bydel', 'Bydel Bjerke', 'migration 0007'),
  ('bydel-frogner', 'bydel', 'Bydel Frogner', 'migration 0007'),
  ('bydel-gamle-oslo', 'bydel', 'Bydel Gamle Oslo', 'migration 0007'),
  ('bydel-grorud', 'bydel', 'Bydel Grorud', 'migration 0007'),
  ('bydel-grunerlokka', 'bydel', 'Bydel Grünerløkka', 'migration 0007'),
  ('bydel-nordre-aker', 'bydel', 'Bydel Nordre Aker', 'migration 0007'),
  ('bydel-nordstrand', 'bydel', 'Bydel Nordstrand', 'migration 0007'),
  ('bydel-sagene', 'bydel', 'Bydel Sagene', 'migration 0007'),
  ('bydel-st-hanshaugen', 'bydel', 'Bydel St. Hanshaugen', 'migration 0007'),
  ('bydel-stovner', 'bydel', 'Bydel Stovner', 'migration 0007'),
  ('bydel-sondre-nordstrand', 'bydel', 'Bydel Søndre Nordstrand', 'migration 0007'),
  ('bydel-ullern', 'bydel', 'Bydel Ullern', 'migration 0007'),
  ('bydel-vestre-aker', 'bydel', 'Bydel Vestre Aker', 'migration 0007'),
  ('bydel-ostensjo', 'bydel', 'Bydel Østensjø', 'migration 0007');
INSERT INTO organisation_events (org_id, actor_sub, actor_role, action, details)
  SELECT id, 'migration 0007', 'system', 'organisation.created', jsonb_build_object('kind', kind, 'name', name) FROM organisations;

-- Down Migration
DROP TABLE organisation_events;
DROP TABLE organisations;
