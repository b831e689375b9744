-- Up Migration
-- Who to call about a stay (§2, §3): the institution's primary contacts, the bydel's contacts, the booppfølger (also
-- from a bydel the resident is moving to) and others. Written by the API, not by the stay's workflow; staff contact
-- data is personal data: scoped like the stay, cleared when the stay is anonymised (activities/read-model/anonymise-stay.ts).
CREATE TABLE stay_contacts (
  id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  stay_id          uuid        NOT NULL REFERENCES stays (id) ON DELETE CASCADE,
  position         integer     NOT NULL,
  role             text        NOT NULL CHECK (role IN ('primary-contact', 'bydel-contact', 'housing-follow-up-worker', 'other')),
  name             text        NOT NULL,
  organisation_id  text        NOT NULL,
  phone            text,
  email            text,
  -- the contact's own login (token sub), when known: "mine beboere" lists the stays where the caller is a contact
  user_id          text,
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX stay_contacts_stay_idx ON stay_contacts (stay_id, position);
CREATE INDEX stay_contacts_user_idx ON stay_contacts (user_id) WHERE user_id IS NOT NULL;

-- Audit entries the API writes (contacts, meetings) share the stay's audit trail with the workflow's. The workflow
-- numbers its entries 1, 2, 3 …; the API's take negative numbers from this sequence, so the two never collide, and
-- the trail is read in time order.
CREATE SEQUENCE audit_events_api_seq;

-- Down Migration
DROP SEQUENCE audit_events_api_seq;
DROP TABLE stay_contacts;
