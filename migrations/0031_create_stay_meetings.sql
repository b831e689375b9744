-- Up Migration
-- Meetings as records (§2, §2.1, §3.1, §3.3): planned with a time in Oslo, a place or a video link and who is
-- invited; moved or cancelled while planned; afterwards who attended and whether housing was on the agenda. Written
-- by the API, not by the stay's workflow (completing the milestone stays a command of the workflow).
CREATE TABLE stay_meetings (
  id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  stay_id           uuid        NOT NULL REFERENCES stays (id) ON DELETE CASCADE,
  milestone         text        NOT NULL CHECK (milestone IN ('first-meeting', 'housing-meeting', 'cooperation-meeting', 'exit-meeting', 'follow-up-meeting')),
  planned_at        timestamptz NOT NULL,
  duration_minutes  integer     NOT NULL DEFAULT 60 CHECK (duration_minutes BETWEEN 15 AND 480),
  place             text,
  video_link        text,
  status            text        NOT NULL DEFAULT 'planned' CHECK (status IN ('planned', 'held', 'cancelled')),
  attendance        jsonb,
  housing_on_agenda boolean,
  -- how often it was moved: each move notifies the invited once (the notification's key)
  moves             integer     NOT NULL DEFAULT 0,
  created_by        text,
  idempotency_key   text,
  created_at        timestamptz NOT NULL DEFAULT now(),
  updated_at        timestamptz NOT NULL DEFAULT now(),
  -- a retried POST with the same Idempotency-Key from the same user finds the meeting it created
  CONSTRAINT stay_meetings_once UNIQUE (stay_id, created_by, idempotency_key)
);
CREATE INDEX stay_meetings_stay_idx ON stay_meetings (stay_id, planned_at);
CREATE INDEX stay_meetings_planned_idx ON stay_meetings (planned_at) WHERE status = 'planned';

-- Who is invited: contacts of the stay. A contact removed from the stay is no longer invited.
CREATE TABLE stay_meeting_invitations (
  meeting_id  uuid NOT NULL REFERENCES stay_meetings (id) ON DELETE CASCADE,
  contact_id  uuid NOT NULL REFERENCES stay_contacts (id) ON DELETE CASCADE,
  PRIMARY KEY (meeting_id, contact_id)
);
CREATE INDEX stay_meeting_invitations_contact_idx ON stay_meeting_invitations (contact_id);

-- Down Migration
DROP TABLE stay_meeting_invitations;
DROP TABLE stay_meetings;
