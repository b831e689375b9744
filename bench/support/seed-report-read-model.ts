import type { Pool } from 'pg';

const BYDELER = [
  'bydel-alna',
  'bydel-bjerke',
  'bydel-frogner',
  'bydel-gamle-oslo',
  'bydel-grorud',
  'bydel-grunerlokka',
  'bydel-nordre-aker',
  'bydel-nordstrand',
  'bydel-sagene',
  'bydel-st-hanshaugen',
  'bydel-stovner',
  'bydel-sondre-nordstrand',
  'bydel-ullern',
  'bydel-vestre-aker',
  'bydel-ostensjo',
];

/**
 * A plausible read model: 20 institutions, Oslo's 15 bydeler, admissions uniform over 5 years; three in four stays
 * get a housing offer 2–10 months in (then discharge and move-in), about one in six ends early; about a third of
 * the deadlines are met late, 7 % never; 4 % carry an agreed deviation; residents come back (same reference).
 */
const SEED = `
  SELECT setseed(0.17);
  CREATE TEMP TABLE seed AS
  WITH base AS (
    SELECT i, md5('bench-stay-' || i)::uuid AS id, ($1::date - (random() * 1826)::int) AS admitted,
           random() AS fate, random() AS r1, random() AS r2, random() AS r3,
           1 + (random() * 19)::int AS inst, 1 + (random() * 14)::int AS byd
      FROM generate_series(1, $2::int) i
  ), events AS (
    SELECT b.*,
           CASE WHEN fate < 0.75 AND admitted + 60 + (r1 * 240)::int <= $1::date THEN admitted + 60 + (r1 * 240)::int END AS offered,
           CASE WHEN fate >= 0.75 AND fate < 0.92 AND admitted + 20 + (r2 * 200)::int <= $1::date
                THEN admitted + 20 + (r2 * 200)::int END AS ended_early
      FROM base b
  )
  SELECT e.*,
         CASE WHEN offered + (r2 * 30)::int <= $1::date THEN offered + (r2 * 30)::int END AS discharged,
         CASE WHEN offered + 5 + (r3 * 60)::int <= $1::date THEN offered + 5 + (r3 * 60)::int END AS moved_in
    FROM events e;

  INSERT INTO stays (id, resident_ref, institution_id, bydel_id, admitted_at, status, convener, revision, created_at,
                     updated_at, rules_version, previous_stay_id, transition)
  SELECT id, 'R-BENCH-' || (i % ($2::int * 84 / 100)), 'inst-bench-' || lpad(inst::text, 2, '0'), ($3::text[])[byd],
         admitted,
         CASE WHEN ended_early IS NOT NULL THEN 'ended' WHEN discharged + 60 < $1::date THEN 'completed' ELSE 'active' END,
         CASE WHEN offered IS NOT NULL THEN 'bydel' ELSE 'institution' END, 1, now(), now(), 2,
         CASE WHEN i % 97 = 0 AND i > 1 THEN md5('bench-stay-' || (i - 1))::uuid END,
         jsonb_build_object(
           'housingOffered', CASE WHEN offered IS NOT NULL THEN jsonb_build_object('date', offered,
             'hasBooppfolgingDecision', r3 < 0.5, 'housingConditionalOnFollowUp', r3 < 0.3, 'expectedMoveInDate', offered + 30) END,
           'dischargedOn', discharged, 'movedInOn', moved_in,
           'endedEarly', CASE WHEN ended_early IS NOT NULL THEN jsonb_build_object('date', ended_early, 'reason', 'left') END,
           'bydelChanges', '[]'::jsonb, 'exitPlan', NULL, 'availability', NULL, 'participationEndsOn', NULL, 'completedOn', NULL)
    FROM seed;

  INSERT INTO stay_milestones (stay_id, key, due_date, original_due_date, done_at, applicable, recurring, escalates,
                               responsible, details, position, deviation, closed_by)
  WITH defs AS (
    SELECT s.id, s.admitted, s.ended_early, d.key, (s.admitted + make_interval(months => d.months, days => d.days))::date AS rule_due,
           d.position, d.responsible, true AS applies, d.key <> 'cooperation-meeting' AS escalates, d.key = 'cooperation-meeting' AS recurring
      FROM seed s CROSS JOIN (VALUES ('plan-started', 0, 14, 0, 'institution'), ('housing-mapping', 0, 28, 1, 'institution'),
        ('first-meeting', 0, 28, 2, 'institution'), ('status-report', 4, 0, 3, 'institution'),
        ('housing-meeting', 5, 0, 5, 'both'), ('applications', 6, 0, 6, 'both'), ('cooperation-meeting', 3, 0, 7, 'institution'))
        AS d(key, months, days, position, responsible)
    UNION ALL
    SELECT s.id, s.admitted, NULL, t.key, t.due, t.position, 'bydel', t.applies, true, false
      FROM seed s CROSS JOIN LATERAL (VALUES
        ('exit-meeting', s.offered + 7, 8, true),
        ('housing-follow-up-contact', coalesce(s.moved_in, s.offered + 30), 9, s.r3 < 0.5),
        ('cooperation-agreement', coalesce(s.moved_in, s.offered + 30), 10, s.r3 < 0.3),
        ('follow-up-meeting', s.moved_in + 28, 11, true)) AS t(key, due, position, applies)
     WHERE s.offered IS NOT NULL AND t.due IS NOT NULL
    UNION ALL
    SELECT s.id, s.admitted, NULL, 'final-report', coalesce(s.discharged, s.ended_early) + 21, 12, 'institution', true, true, false
      FROM seed s WHERE coalesce(s.discharged, s.ended_early) IS NOT NULL
  ), drawn AS (
    SELECT defs.*, random() + 0 * extract(epoch FROM rule_due) AS rd, random() + 0 * position AS rl FROM defs
  ), dated AS (
    SELECT drawn.*, CASE WHEN rd < 0.04 AND escalates THEN rule_due + 21 ELSE rule_due END AS due FROM drawn
  ), done AS (
    SELECT dated.*, CASE WHEN applies AND rl < 0.93 THEN greatest(admitted, due + round(-8 + 20 * rd * rd)::int) END AS planned_done
      FROM dated
  )
  SELECT id, key, due, CASE WHEN due <> rule_due THEN rule_due END,
         CASE WHEN planned_done <= $1::date AND (ended_early IS NULL OR planned_done <= ended_early) THEN planned_done END,
         applies AND NOT (ended_early IS NOT NULL AND (planned_done IS NULL OR planned_done > ended_early)),
         recurring, escalates, responsible, NULL, position,
         CASE WHEN due <> rule_due THEN jsonb_build_object('dueDate', due, 'reason', 'bench', 'agreedBy', 'both', 'agreedOn', admitted) END,
         CASE WHEN NOT applies THEN 'not-in-offer'
              WHEN ended_early IS NOT NULL AND (planned_done IS NULL OR planned_done > ended_early) THEN 'ended-early' END
    FROM done;

  INSERT INTO stay_milestones (stay_id, key, due_date, done_at, applicable, recurring, escalates, responsible, details, position)
  SELECT id, 'extra-status-report', admitted + 120, NULL, ended_early IS NULL, false, true, 'institution',
         jsonb_build_object('agreedDates', jsonb_build_array(admitted + 60, admitted + 120),
                            'delivered', jsonb_build_array(admitted + 63)), 13
    FROM seed WHERE i % 50 = 0 AND admitted + 63 <= $1::date;
`;

/** Seeds `stays` stays admitted over the 5 years up to `today` straight into the read model, the same data every run. */
export async function seedReportReadModel(pool: Pool, stays: number, today: string): Promise<void> {
  // Our own values, inlined: CREATE TABLE AS takes no bind parameters.
  const sql = SEED.replaceAll('$1', `'${today}'`)
    .replaceAll('$2', String(stays))
    .replaceAll('$3', `ARRAY[${BYDELER.map((b) => `'${b}'`).join(',')}]`);
  const client = await pool.connect();
  try {
    // one session: setseed() makes the same data every run
    await client.query(sql);
    // as autovacuum would after a load like this: statistics, and a visibility map for index-only scans
    await client.query('VACUUM ANALYZE stays');
    await client.query('VACUUM ANALYZE stay_milestones');
  } finally {
    client.release();
  }
}
