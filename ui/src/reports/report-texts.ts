// Norwegian wording and number formats of the report page (the API's field names are English).
import type { ComplianceReport } from '../../../schemas/reports';

export type Figures = ComplianceReport['total'];
export type Count = 'due' | 'onTime' | 'late' | 'open' | 'notApplicable' | 'deviated';

export const COUNT_LABEL: Record<Count, string> = {
  due: 'Frister i perioden',
  onTime: 'I tide',
  late: 'For sent',
  open: 'Åpne',
  notApplicable: 'Ikke aktuelle',
  deviated: 'Med avtalt avvik',
};

const PERCENT = new Intl.NumberFormat('nb-NO', { style: 'percent', maximumFractionDigits: 0 });
const NUMBER = new Intl.NumberFormat('nb-NO', { maximumFractionDigits: 1 });
const MONTH = new Intl.DateTimeFormat('nb-NO', { month: 'short', year: 'numeric', timeZone: 'UTC' });
const MONTH_LONG = new Intl.DateTimeFormat('nb-NO', { month: 'long', year: 'numeric', timeZone: 'UTC' });

/** 0.6667 → "67 %"; null → "–" (nothing decided yet). */
export const formatShare = (share: number | null): string => (share === null ? '–' : PERCENT.format(share));

/** Days as Norwegian numbers (10,5); null → "–". */
export const formatDays = (days: number | null): string => (days === null ? '–' : NUMBER.format(days));

const monthDate = (key: string) => new Date(`${key}-01T00:00:00Z`);

/** 2025-03 → "mars 2025" (tables) or "mar. 2025" (axes). */
export const monthName = (key: string, style: 'long' | 'short' = 'long'): string =>
  (style === 'long' ? MONTH_LONG : MONTH).format(monthDate(key));
