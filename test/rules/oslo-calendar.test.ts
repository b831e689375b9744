import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import {
  addOffset,
  daysBetween,
  isIsoDate,
  isPastDue,
  osloDate,
  osloMidnight,
  overdueFrom,
} from '../../rules/oslo-calendar';

const oslo = (iso: string) => DateTime.fromISO(iso, { zone: 'Europe/Oslo' }).toMillis();

describe('addOffset (Fellesskriv calendar arithmetic)', () => {
  it('counts calendar days', () => {
    expect(addOffset('2026-01-10', { days: 14 })).toBe('2026-01-24');
    expect(addOffset('2026-01-10', { days: 28 })).toBe('2026-02-07');
  });

  it('clamps month arithmetic to the end of a shorter month', () => {
    expect(addOffset('2026-01-31', { months: 1 })).toBe('2026-02-28');
    expect(addOffset('2025-10-31', { months: 4 })).toBe('2026-02-28');
    expect(addOffset('2026-03-31', { months: 6 })).toBe('2026-09-30');
  });

  it('lands on the leap day in a leap year', () => {
    expect(addOffset('2028-01-31', { months: 1 })).toBe('2028-02-29');
    expect(addOffset('2027-09-29', { months: 5 })).toBe('2028-02-29');
    expect(addOffset('2028-02-29', { months: 12 })).toBe('2029-02-28');
  });

  it('is unaffected by DST changes (days are calendar days, not 24 hours)', () => {
    // DST starts in Oslo on 2026-03-29 and ends on 2026-10-25
    expect(addOffset('2026-03-20', { days: 14 })).toBe('2026-04-03');
    expect(addOffset('2026-10-20', { days: 14 })).toBe('2026-11-03');
  });

  it("gives luxon's Europe/Oslo answer for every 11th date of 2024–2030 and offsets of −13 to +13 months, −400 to +400 days (and the days between)", () => {
    // the arithmetic of the first releases, which running stays recorded their deadlines with
    const reference = (date: string, offset: { days?: number; months?: number }) =>
      DateTime.fromISO(date, { zone: 'Europe/Oslo' })
        .plus({ months: offset.months ?? 0 })
        .plus({ days: offset.days ?? 0 })
        .toISODate();
    const differences: string[] = [];
    for (let day = DateTime.fromISO('2024-01-01'); day.year <= 2030; day = day.plus({ days: 11 })) {
      const date = day.toISODate()!;
      for (const offset of [
        { days: ((day.ordinal * 7) % 801) - 400 },
        { months: (day.ordinal % 27) - 13 },
        { months: (day.ordinal % 7) - 1, days: (day.ordinal % 61) - 30 },
      ]) {
        const later = reference(date, offset)!;
        if (addOffset(date, offset) !== later)
          differences.push(`${date} ${JSON.stringify(offset)}: ${addOffset(date, offset)} ≠ ${later}`);
        const days = Math.round(
          DateTime.fromISO(later, { zone: 'Europe/Oslo' }).diff(DateTime.fromISO(date, { zone: 'Europe/Oslo' }), 'days')
            .days,
        );
        if (daysBetween(date, later) !== days)
          differences.push(`days from ${date} to ${later}: ${daysBetween(date, later)} ≠ ${days}`);
      }
    }
    expect(differences).toEqual([]);
  });

  it("gives the time-zone database's midnight for every week of 1990–2045 and around every DST change of 1996–2045", () => {
    const dates: string[] = [];
    for (let day = DateTime.fromISO('1990-01-01'); day.year <= 2045; day = day.plus({ days: 7 }))
      dates.push(day.toISODate()!);
    for (let year = 1996; year <= 2045; year++) {
      for (const month of [3, 10]) {
        const end = DateTime.fromObject({ year, month }).endOf('month');
        const lastSunday = end.minus({ days: end.weekday % 7 });
        for (const days of [-1, 0, 1]) dates.push(lastSunday.plus({ days }).toISODate()!);
      }
    }
    const differences = dates.filter(
      (date) => osloMidnight(date) !== DateTime.fromISO(date, { zone: 'Europe/Oslo' }).toMillis(),
    );
    expect(differences).toEqual([]);
  });

  it("gives luxon's date in Oslo on both sides of every Oslo midnight of 2025–2027 and every 7 hours of 2024–2030", () => {
    const instants: number[] = [];
    for (
      let day = DateTime.fromISO('2025-01-01', { zone: 'Europe/Oslo' });
      day.year <= 2027;
      day = day.plus({ days: 1 })
    )
      instants.push(day.toMillis() - 1, day.toMillis());
    for (let ms = Date.parse('2024-01-01T00:00:00Z'); ms < Date.parse('2031-01-01T00:00:00Z'); ms += 7 * 3_600_000)
      instants.push(ms);
    const differences: string[] = [];
    for (const ms of instants) {
      const expected = DateTime.fromMillis(ms, { zone: 'Europe/Oslo' }).toISODate();
      if (osloDate(ms) !== expected) differences.push(`${new Date(ms).toISOString()}: ${osloDate(ms)} ≠ ${expected}`);
    }
    expect(differences).toEqual([]);
  });

  it('rejects a non-date', () => {
    expect(() => addOffset('2026-02-30', { days: 1 })).toThrow(/not a calendar date/);
    expect(() => osloMidnight('2026-13-01')).toThrow(/not a calendar date/);
    expect(isIsoDate('2026-02-30')).toBe(false);
    expect(isIsoDate('2026-2-3')).toBe(false);
    expect(isIsoDate('2028-02-29')).toBe(true);
  });
});

describe('due today vs overdue tomorrow', () => {
  it('is on time through the due date and overdue from 00:00 Oslo the next day', () => {
    expect(isPastDue('2026-06-10', oslo('2026-06-10T23:59:59.999'))).toBe(false);
    expect(isPastDue('2026-06-10', oslo('2026-06-11T00:00:00'))).toBe(true);
  });

  it('uses Oslo midnight, not UTC midnight (summer: UTC+2)', () => {
    // 2026-06-10T22:30Z is already 00:30 on 11 June in Oslo
    expect(isPastDue('2026-06-10', Date.parse('2026-06-10T22:30:00Z'))).toBe(true);
    expect(isPastDue('2026-06-10', Date.parse('2026-06-10T21:59:59Z'))).toBe(false);
    expect(osloDate(Date.parse('2026-06-10T22:30:00Z'))).toBe('2026-06-11');
  });

  it('handles the night DST starts (due on Saturday 28 March 2026)', () => {
    expect(new Date(overdueFrom('2026-03-28')).toISOString()).toBe('2026-03-28T23:00:00.000Z');
    // due on the DST Sunday: overdue from Monday 00:00 CEST = Sunday 22:00 UTC
    expect(new Date(overdueFrom('2026-03-29')).toISOString()).toBe('2026-03-29T22:00:00.000Z');
  });

  it('handles the night DST ends (due on Saturday 24 October 2026)', () => {
    expect(new Date(overdueFrom('2026-10-24')).toISOString()).toBe('2026-10-24T22:00:00.000Z');
    expect(new Date(overdueFrom('2026-10-25')).toISOString()).toBe('2026-10-25T23:00:00.000Z');
  });
});
