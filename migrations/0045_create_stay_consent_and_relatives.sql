-- Up Migration
-- The resident's consent to sharing between institution and bydel (Oslostandard for booppfølging, tiltak 7 and 13,
-- vedlegg 2: "nei/ja, med dato til") and whether relatives are involved (Fellesskriv §2). Written by the API, not by
-- the stay's workflow; audited in the stay's trail; removed when the stay is anonymised
-- (activities/read-model/anonymise-stay.ts). Structured answers only: no free text.
CREATE TABLE stay_consents (
  stay_id       uuid PRIMARY KEY REFERENCES stays (id) ON DELETE CASCADE,
  -- a new id with each new answer (another date, or yes ↔ no): a reminder is once per consent and end date
  consent_id    uuid        NOT NULL,
  given         boolean     NOT NULL,
  answered_on   date        NOT NULL,
  valid_until   date,
  withdrawn_on  date,
  updated_at    timestamptz NOT NULL DEFAULT now(),
  CHECK (given OR (valid_until IS NULL AND withdrawn_on IS NULL)),
  CHECK (NOT given OR valid_until IS NOT NULL)
);
-- the daily sweep: consents that will run out and are neither withdrawn nor refused
CREATE INDEX stay_consents_valid_until_idx ON stay_consents (valid_until) WHERE given AND withdrawn_on IS NULL;

CREATE TABLE stay_relatives (
  stay_id      uuid PRIMARY KEY REFERENCES stays (id) ON DELETE CASCADE,
  involvement  text        NOT NULL CHECK (involvement IN ('involved', 'not-relevant', 'not-wanted-by-resident')),
  agreed_on    date        NOT NULL,
  updated_at   timestamptz NOT NULL DEFAULT now()
);

-- "The consent runs out": one reminder to the institution per consent and end date, however often the sweep runs
-- and however many workers run it (the unique key). Renewing (another end date) makes a new one due later.
CREATE TABLE consent_reminders (
  id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  stay_id          uuid        NOT NULL REFERENCES stays (id) ON DELETE CASCADE,
  consent_id       uuid        NOT NULL,
  valid_until      date        NOT NULL,
  institution_id   text        NOT NULL,
  raised_at        timestamptz NOT NULL DEFAULT now(),
  acknowledged_at  timestamptz,
  acknowledged_by  text,
  CONSTRAINT consent_reminders_once UNIQUE (consent_id, valid_until)
);
CREATE INDEX consent_reminders_institution_idx ON consent_reminders (institution_id, raised_at DESC);
CREATE INDEX consent_reminders_stay_idx ON consent_reminders (stay_id);

-- Down Migration
DROP TABLE consent_reminders;
DROP TABLE stay_relatives;
DROP TABLE stay_consents;
