import type { MeetingParty } from '../../../rules/meeting-flags';
import type { Meeting } from '../../../schemas/meetings';
import { formatDate } from '../format';

/** How meetings are named and dated on the stay page, in Norwegian. */

export const MEETING_STATUS = { planned: 'Planlagt', held: 'Holdt', cancelled: 'Avlyst' } as const;

export const PARTY_LABEL: Record<MeetingParty, string> = {
  resident: 'Beboeren',
  institution: 'Institusjonen',
  bydel: 'Bydelen',
  housingFollowUpWorker: 'Booppfølgeren',
  relatives: 'Pårørende',
  others: 'Andre',
};

/** 2026-03-02T10:00 → 02.03.2026 kl. 10:00 */
export const formatLocalTime = (local: string) => `${formatDate(local.slice(0, 10))} kl. ${local.slice(11, 16)}`;
/** 2026-03-02T10:00 → 02.03. kl. 10:00 (what a milestone shows of its next meeting) */
export const formatShortLocalTime = (local: string) =>
  `${local.slice(8, 10)}.${local.slice(5, 7)}. kl. ${local.slice(11, 16)}`;

/** What the Fellesskriv would object to, in Norwegian (the API's flags, rules/meeting-flags.ts). */
export function flagText(flag: Meeting['flags'][number], recurring: boolean): string {
  switch (flag.code) {
    case 'planned-after-deadline':
      return recurring
        ? `Møtet er etter anbefalt tidspunkt ${formatDate(flag.dueDate)} (Fellesskriv ${flag.section}).`
        : `Møtet er etter fristen ${formatDate(flag.dueDate)} (Fellesskriv ${flag.section}).`;
    case 'obligatory-party-missing':
      return `${flag.party === 'bydel' ? 'Bydelen' : 'Institusjonen'} plikter å delta (Fellesskriv ${flag.section}), men var ikke til stede.`;
    case 'housing-not-on-agenda':
      return `Bolig skal være fast tema på alle samarbeidsmøter (Fellesskriv ${flag.section}), men var ikke på dagsordenen.`;
  }
}
