import type { ForecastDigestItem } from './forecast-digest';
import { type Mail, milestoneTitle, norwegianDate, stayLink } from './templates';

const RESPONSIBLE_NB: Record<ForecastDigestItem['responsible'], string> = {
  institution: 'institusjonen',
  bydel: 'bydelen',
  both: 'institusjonen og bydelen',
};

const percent = (share: number) => `${Math.round(share * 100)} %`;

function record(item: ForecastDigestItem): string {
  if (item.lateShare === null) return 'Ingen tidligere frister å sammenligne med.';
  const late = Math.round(item.lateShare * item.decided);
  const history = `${late} av ${item.decided} slike frister det siste året ble forsinket (${percent(item.lateShare)})`;
  return item.risk === 'likely-late'
    ? `Kan bli forsinket: ${history}.`
    : `${history[0]!.toUpperCase()}${history.slice(1)}.`;
}

/**
 * The weekly forecast digest as an e-mail (Norwegian): the organisation's deadlines of the next 14 days with nothing
 * planned or recorded, in the forecast's order, each with the milestone, due date, who is responsible, why it may be
 * late, the organisations by name and a link to the stay. Like every e-mail here it says nothing about the person,
 * not even the resident reference: the link leads to the app, where access is checked and logged.
 */
export function forecastDigestMail(
  digest: {
    deliveryId: string;
    orgName: string;
    week: string;
    asOf: string;
    until: string;
    items: ForecastDigestItem[];
  },
  name: (orgId: string) => string,
  appBaseUrl: string,
): Mail {
  const n = digest.items.length;
  const likely = digest.items.filter((i) => i.risk === 'likely-late').length;
  const weekNo = Number(digest.week.slice(6));
  return {
    subject: `Ukeoversikt uke ${weekNo}: ${n} ${n === 1 ? 'frist' : 'frister'} de neste 14 dagene uten noe planlagt${likely > 0 ? ` (${likely} kan bli forsinket)` : ''}`,
    text: [
      'Hei,',
      '',
      `Dette er ukeoversikten for ${digest.orgName}, uke ${weekNo}: fristene fra ${norwegianDate(digest.asOf)} til og med ${norwegianDate(digest.until)} der ingenting er registrert eller planlagt ennå (${n}).`,
      'Øverst står fristene der den som har ansvaret, oftest har vært forsinket med det samme det siste året.',
      '',
      ...digest.items.flatMap((item, i) => [
        `${i + 1}. «${milestoneTitle(item.milestone)}» – frist ${norwegianDate(item.dueDate)}, ansvar: ${RESPONSIBLE_NB[item.responsible]}.`,
        `   ${record(item)}`,
        `   ${name(item.institutionId)}, ${name(item.bydelId)}. Se oppholdet: ${stayLink(appBaseUrl, item.stayId)}`,
        '',
      ]),
      'Planlegg et møte eller registrer det som er gjort, så faller fristen ut av neste ukes oversikt.',
      '',
      `Oversikt-ID: ${digest.deliveryId}`,
      '',
      'Denne e-posten inneholder ingen personopplysninger. Logg inn i Oppholdsløpet for å se oppholdet.',
      'Dette er en automatisk melding fra Oppholdsløpet, Oslo kommune. Ikke svar på denne e-posten.',
      '',
    ].join('\n'),
  };
}
