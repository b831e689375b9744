import { addOffset } from '../../../rules/oslo-calendar';
import type { IsoDate } from '../../../rules/types';

/** The calendar quarter (1–4) that an Oslo date (yyyy-mm-dd) falls in, with its first and last day. */
export function quarterOf(date: IsoDate): { year: number; quarter: number; from: IsoDate; to: IsoDate } {
  const year = Number(date.slice(0, 4));
  const quarter = Math.floor((Number(date.slice(5, 7)) - 1) / 3) + 1;
  const from = `${year}-${String((quarter - 1) * 3 + 1).padStart(2, '0')}-01`;
  return { year, quarter, from, to: addOffset(addOffset(from, { months: 3 }), { days: -1 }) };
}

/**
 * The report page's ready-made periods. Velferdsetaten reports by quarter: the last whole quarter comes first after
 * the rolling year, named, so that the quarterly report is one click.
 */
export function reportPeriods(today: IsoDate): { label: string; from: IsoDate; to: IsoDate }[] {
  const current = quarterOf(today);
  const previous = quarterOf(addOffset(current.from, { days: -1 }));
  const year = Number(today.slice(0, 4));
  return [
    { label: 'Siste 12 måneder', from: addOffset(today, { months: -12 }), to: today },
    {
      label: `Forrige kvartal (${previous.quarter}. kvartal ${previous.year})`,
      from: previous.from,
      to: previous.to,
    },
    { label: 'Hittil i kvartalet', from: current.from, to: today },
    { label: 'Hittil i år', from: `${year}-01-01`, to: today },
    { label: 'I fjor', from: `${year - 1}-01-01`, to: `${year - 1}-12-31` },
    { label: 'Siste 5 år', from: addOffset(today, { months: -60 }), to: today },
  ];
}
