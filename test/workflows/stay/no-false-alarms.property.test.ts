import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Driver, life, live } from '../../support/stay-lives';

/**
 * "An escalation is trusted only while it is never a false alarm", and "nothing lost, nothing twice": random stay lives
 * (test/support/stay-lives.ts: the life generator, the driver that runs the pure StayState as the workflow does, and
 * the rule book's invariants, checked after every workflow task).
 */

/**
 * `npm test` plays the same lives every run (a fixed seed): a red CI is a change's doing, never the luck of the draw.
 * PROPERTY_SEED=random searches new lives (with PROPERTY_RUNS=1500, a minute or two) — that is how the defects in the
 * git log were found, and how one still open was (see the closing notes); PROPERTY_SEED=<seed> replays a failure
 * fast-check printed.
 */
const RUNS = Number(process.env.PROPERTY_RUNS ?? 100);
const SEED = process.env.PROPERTY_SEED === 'random' ? {} : { seed: Number(process.env.PROPERTY_SEED ?? 20_261_130) };

const STATS: Driver[] = [];

describe('no false alarms, nothing lost, nothing twice (random stay lives)', () => {
  it('keeps the rule book over every workflow task of a life', () => {
    fc.assert(
      fc.property(life, (l) => {
        const d = live(l);
        if (process.env.PROPERTY_STATS) STATS.push(d);
      }),
      { numRuns: RUNS, ...SEED },
    );
  });

  it('raises the same escalations when the same life is replayed', () => {
    fc.assert(
      fc.property(life, (l) => {
        const a = live(l);
        const b = live(l);
        expect(b.raised).toEqual(a.raised);
        expect(b.state.snapshot).toEqual(a.state.snapshot);
      }),
      { numRuns: Math.ceil(RUNS / 5), ...SEED },
    );
  });
});

if (process.env.PROPERTY_STATS)
  describe('stats', () => {
    it('prints', () => {
      const accepted: Record<string, number> = {};
      const refused: Record<string, number> = {};
      const kinds: Record<string, number> = {};
      for (const d of STATS) {
        for (const line of d.log) {
          const m = /^(?:\S+ )?(accepted|refused) (\w+)/.exec(line);
          if (m)
            (m[1] === 'accepted' ? accepted : refused)[m[2]!] =
              ((m[1] === 'accepted' ? accepted : refused)[m[2]!] ?? 0) + 1;
        }
        for (const e of d.raised) kinds[`${e.milestone}:${e.kind}`] = (kinds[`${e.milestone}:${e.kind}`] ?? 0) + 1;
        kinds[`status:${d.state.stay.status}`] = (kinds[`status:${d.state.stay.status}`] ?? 0) + 1;
        const rules = !d.life.rulesV2 ? 'v3' : d.log.some((l) => l.endsWith('adopted rules 3')) ? 'v2-adopted' : 'v2';
        kinds[`rules:${rules}`] = (kinds[`rules:${rules}`] ?? 0) + 1;
      }
      console.log({ accepted, refused, kinds });
    });
  });
