-- Up Migration
-- The weekly forecast digest (issue 17): once a week each organisation is told which of its deadlines of the next 14
-- days have nothing planned or recorded, ranked as the forecast ranks them. The forecast's selection lives here, once,
-- as a function that the API's report and the worker's digest both call.

-- The open deadlines due in [as_of, until] with nothing recorded and no meeting planned for them by their due date,
-- with the late record of the institution and of the bydel for that milestone over [look_back, as_of). A NULL
-- institution or bydel does not filter. A plain SQL function, so that PostgreSQL inlines it into the caller's query.
CREATE FUNCTION forecast_deadlines(as_of date, until date, look_back date, in_institution text, in_bydel text)
RETURNS TABLE (stay_id uuid, resident_ref text, institution_id text, bydel_id text, key text, due_date date,
               responsible text, institution_late int, institution_decided int, bydel_late int, bydel_decided int)
LANGUAGE sql STABLE AS $$
  WITH upcoming AS (
    SELECT m.stay_id, m.key, m.due_date, m.responsible, m.institution_id, m.bydel_id
      FROM stay_milestones m JOIN stays s ON s.id = m.stay_id
     WHERE m.escalates AND m.applicable AND m.done_at IS NULL AND s.status <> 'completed'
       AND m.due_date BETWEEN as_of AND until
       AND (in_institution IS NULL OR m.institution_id = in_institution)
       AND (in_bydel IS NULL OR m.bydel_id = in_bydel)
       -- a meeting planned in time is on its way; one planned after the due date will still be late
       AND NOT EXISTS (SELECT 1 FROM stay_meetings p
                        WHERE p.stay_id = m.stay_id AND p.milestone = m.key AND p.status = 'planned'
                          AND (p.planned_at AT TIME ZONE 'Europe/Oslo')::date <= m.due_date)
  ),
  by_institution AS (
    SELECT h.institution_id AS org, h.key,
           count(*) FILTER (WHERE h.done_at > h.due_date OR (h.done_at IS NULL AND h.due_date < as_of))::int AS late,
           count(*) FILTER (WHERE h.done_at IS NOT NULL OR h.due_date < as_of)::int AS decided
      FROM stay_milestones h
     WHERE h.escalates AND h.key <> 'extra-status-report' AND h.due_date >= look_back AND h.due_date < as_of
       AND (h.applicable OR h.done_at IS NOT NULL)
       AND h.institution_id IN (SELECT u.institution_id FROM upcoming u)
     GROUP BY 1, 2
  ),
  by_bydel AS (
    SELECT h.bydel_id AS org, h.key,
           count(*) FILTER (WHERE h.done_at > h.due_date OR (h.done_at IS NULL AND h.due_date < as_of))::int AS late,
           count(*) FILTER (WHERE h.done_at IS NOT NULL OR h.due_date < as_of)::int AS decided
      FROM stay_milestones h
     WHERE h.escalates AND h.key <> 'extra-status-report' AND h.due_date >= look_back AND h.due_date < as_of
       AND (h.applicable OR h.done_at IS NOT NULL)
       AND h.bydel_id IN (SELECT u.bydel_id FROM upcoming u)
     GROUP BY 1, 2
  )
  SELECT u.stay_id, s.resident_ref, u.institution_id, u.bydel_id, u.key, u.due_date, u.responsible,
         i.late, i.decided, b.late, b.decided
    FROM upcoming u JOIN stays s ON s.id = u.stay_id
         LEFT JOIN by_institution i ON i.org = u.institution_id AND i.key = u.key
         LEFT JOIN by_bydel b ON b.org = u.bydel_id AND b.key = u.key
$$;

-- One digest per organisation and ISO week (e.g. 2026-W49), however often the weekly run is retried or restarted.
-- Its items are what the forecast said when it was made (the deadlines, by stay and pseudonymous reference only).
CREATE TABLE forecast_digests (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id      text        NOT NULL,
  iso_week    text        NOT NULL CHECK (iso_week ~ '^[0-9]{4}-W[0-9]{2}$'),
  as_of       date        NOT NULL,
  until       date        NOT NULL,
  items       jsonb       NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT forecast_digests_once UNIQUE (org_id, iso_week)
);

-- An outbox row is about an escalation, an event or a forecast digest, once per channel and recipient.
ALTER TABLE notification_outbox
  ADD COLUMN forecast_digest_id uuid REFERENCES forecast_digests (id) ON DELETE CASCADE,
  DROP CONSTRAINT notification_outbox_about_one,
  ADD CONSTRAINT notification_outbox_about_one CHECK (num_nonnulls(escalation_id, event_id, forecast_digest_id) = 1),
  ADD CONSTRAINT notification_outbox_forecast_once UNIQUE (forecast_digest_id, channel, recipient);

-- Down Migration
DELETE FROM notification_outbox WHERE forecast_digest_id IS NOT NULL;
ALTER TABLE notification_outbox
  DROP CONSTRAINT notification_outbox_forecast_once,
  DROP CONSTRAINT notification_outbox_about_one,
  ADD CONSTRAINT notification_outbox_about_one CHECK (num_nonnulls(escalation_id, event_id) = 1),
  DROP COLUMN forecast_digest_id;
DROP TABLE forecast_digests;
DROP FUNCTION forecast_deadlines(date, date, date, text, text);
