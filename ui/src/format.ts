import { isDueSoon as isDueSoonOn } from '../../rules/due-soon';
import { osloDate } from '../../rules/oslo-calendar';

/** 2026-05-20 → 20.05.2026 (a calendar date has no time zone; it is already Oslo's). */
export function formatDate(iso: string | null | undefined): string {
  if (!iso) return '–';
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso);
  return m ? `${m[3]}.${m[2]}.${m[1]}` : iso;
}

const TIMESTAMP = new Intl.DateTimeFormat('nb-NO', {
  timeZone: 'Europe/Oslo',
  day: '2-digit',
  month: '2-digit',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
});

/** An instant as Oslo wall-clock time: 20.05.2026 kl. 14:03. */
export function formatTimestamp(iso: string): string {
  const parts = Object.fromEntries(TIMESTAMP.formatToParts(new Date(iso)).map((p) => [p.type, p.value]));
  return `${parts.day}.${parts.month}.${parts.year} kl. ${parts.hour}:${parts.minute}`;
}

/**
 * What a person typed as a date → YYYY-MM-DD. Accepts dd.mm.åååå (also d.m.åååå) and ISO. Anything else is
 * returned as typed: the API refuses it and the form shows why, next to the field.
 */
export function parseDateInput(text: string): string {
  const t = text.trim();
  const m = /^(\d{1,2})\.(\d{1,2})\.(\d{4})$/.exec(t);
  if (m) return `${m[3]}-${m[2]!.padStart(2, '0')}-${m[1]!.padStart(2, '0')}`;
  return t;
}

export const isIsoDateText = (text: string) => /^\d{4}-\d{2}-\d{2}$/.test(text);

export const todayInOslo = () => osloDate(Date.now());

export const isDueSoon = (dueDate: string | null, today = todayInOslo()): boolean => isDueSoonOn(dueDate, today);

/** "hver 2. måned", "hver måned": an interval in Norwegian (the cooperation meeting's, §2). */
export const everyMonths = (months: number): string => (months === 1 ? 'hver måned' : `hver ${months}. måned`);
