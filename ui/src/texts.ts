// Norwegian (bokmål) wording of everything the API names in English. Milestone titles come from the rule table
// (`titleNb`), so a milestone added there appears here with its own name.
import { MILESTONE_RULES } from '../../rules/milestones';

const TITLES = new Map<string, string>(MILESTONE_RULES.map((r) => [r.key, r.titleNb]));
const SECTIONS = new Map<string, string>(MILESTONE_RULES.map((r) => [r.key, r.section]));

export const milestoneTitle = (key: string, fallback?: string): string => TITLES.get(key) ?? fallback ?? key;
export const milestoneSection = (key: string, fallback?: string): string => SECTIONS.get(key) ?? fallback ?? '';

export const MILESTONE_STATUS: Record<string, string> = {
  pending: 'Ikke fullført',
  'due-soon': 'Frist snart',
  done: 'Fullført',
  overdue: 'Forfalt',
  'not-applicable': 'Ikke aktuell',
};

export const STAY_STATUS: Record<string, string> = {
  active: 'Aktivt',
  completed: 'Fullført (flyttet til egen bolig)',
  ended: 'Avsluttet',
};

export const PARTY: Record<string, string> = {
  institution: 'Institusjonen',
  bydel: 'Bydelen',
  both: 'Institusjonen og bydelen',
  resident: 'Beboeren',
  convener: 'Den som kaller inn',
  system: 'Systemet',
  admin: 'Administrator',
};

export const ROLE: Record<string, string> = {
  institution: 'Institusjon',
  bydel: 'Bydel',
  admin: 'Administrator',
};

export const ESCALATION_KIND: Record<string, string> = {
  reminder: 'Påminnelse',
  overdue: 'Forfalt frist',
  'second-level': 'Eskalert videre',
};

/** Labels of the values milestone records use (rules/milestone-details.ts). */
export const VALUE_LABELS: Record<string, string> = {
  ...ESCALATION_KIND,
  'municipal-housing': 'Kommunal bolig',
  startlan: 'Startlån',
  booppfolging: 'Booppfølging',
  'voluntary-financial-management': 'Frivillig forvaltning',
  'outpatient-substance-treatment': 'Poliklinisk rusbehandling',
  fact: 'FACT-team',
  'further-institution-place': 'Videre institusjonsplass',
  other: 'Annet',
  institution: 'Institusjonen',
  bydel: 'Bydelen',
  resident: 'Beboeren',
  both: 'Institusjonen og bydelen',
  'other-help': 'Annen hjelp til å mestre bolig',
  none: 'Ikke behov',
  unclear: 'Uavklart',
  exists: 'Beboeren har individuell plan (IP)',
  offered: 'Individuell plan (IP) er tilbudt',
  ordinary: 'Ordinær bolig',
  municipal: 'Kommunal bolig',
  supported: 'Bolig med oppfølging',
  care: 'Omsorgsbolig eller bofellesskap',
  left: 'Beboeren dro',
  'discharged-without-housing': 'Utskrevet uten bolig',
  'moved-institution': 'Flyttet til annen institusjon',
  died: 'Død',
  'institution-place': 'Institusjonsplassen',
  'day-place': 'Dagplass',
  'other-party': 'den andre partens bekreftelse',
  'superseded-by-housing-offer': 'Erstattet av boligtilbudet',
  'overdue-before-housing-offer': 'Fristen gikk ut før boligtilbudet; ingen flere varsler',
  'no-deadline-after-housing-offer': 'Ingen frist etter boligtilbudet',
  'not-in-offer': 'Ikke del av boligtilbudet',
  discharged: 'Utskrevet',
  'ended-early': 'Oppholdet ble avsluttet',
};

/** Field labels per milestone; `*` applies to every milestone. */
const FIELD_LABELS: Record<string, Record<string, string>> = {
  '*': {
    doneAt: 'Dato fullført',
    bydelAttended: 'Deltok bydelen?',
    type: 'Søknad eller henvisning',
    responsible: 'Hvem forbereder og sender',
    sentAt: 'Sendt dato',
    institutionId: 'Institusjon',
    bydelId: 'Bydel',
    admittedAt: 'Innskrevet',
    dueDate: 'Frist',
    recipient: 'Varslet',
    from: 'Fra',
    to: 'Til',
    reason: 'Begrunnelse',
    agreedBy: 'Avtalt av',
    convener: 'Innkaller',
    created: 'Ny plan',
    hasBooppfolgingDecision: 'Vedtak om booppfølging',
    housingConditionalOnFollowUp: 'Bolig med vilkår om oppfølging',
    expectedMoveInDate: 'Forventet innflytting',
    receivingBydelId: 'Ny bydel',
    toInstitutionId: 'Ny institusjon',
    target: 'Gjelder',
    level: 'Nivå',
    superseded: 'Erstattet av boligtilbudet (ikke lenger aktuell)',
    silenced: 'Ingen flere varsler etter boligtilbudet',
    reopened: 'Åpnet igjen med opprinnelige frister',
    moved: 'Flyttet med',
    awaiting: 'Venter på',
    statedOnBehalfOfBoth: 'Bekreftet på vegne av begge parter',
    proposedBy: 'Foreslått av',
    proposedOn: 'Foreslått',
    next: 'Neste frist',
    added: 'Lagt til',
    removed: 'Fjernet',
    changed: 'Endret',
    before: 'Før',
    after: 'Etter',
    plannedAt: 'Tidspunkt',
    place: 'Sted',
    videoLink: 'Videolenke',
    invited: 'Inviterte',
    attendance: 'Til stede',
    housingOnAgenda: 'Bolig på dagsordenen',
    durationMinutes: 'Varighet (min)',
    name: 'Navn',
    phone: 'Telefon',
    email: 'E-post',
    organisationId: 'Organisasjon',
    userId: 'Bruker',
  },
  'plan-started': {
    residentInvolved: 'Har beboeren vært med i arbeidet?',
    bydelInvolved: 'Har bydelen vært med i arbeidet?',
  },
  'housing-mapping': {
    doneAt: 'Dato kartleggingen var ferdig',
    needsHelpObtainingHousing: '(a) Trenger beboeren hjelp til å skaffe bolig?',
    followUpNeed: '(b) Sannsynlig behov for booppfølging eller annen hjelp til å mestre egen bolig',
    financesMapped: '(c) Økonomi er kartlagt (betalingshistorikk, inntekt, gjeld)',
    otherFactorsMapped: '(d) Andre forhold er kartlagt (helse, familie og nettverk, interesser, arbeid)',
    individualPlan: '(e) Individuell plan (IP)',
  },
  'first-meeting': {
    doneAt: 'Dato for møtet',
    bydelAttended: 'Deltok bydelen på møtet?',
    housingOnAgenda: 'Bolig var tema på møtet',
    draftPlanDiscussed: 'Ble utkast til plan for oppholdet drøftet?',
  },
  'status-report': {
    doneAt: 'Dato for statusrapporten',
    recommendedHousing: 'Anbefalt boligtype',
    followUpNeed: 'Behov for booppfølging eller annen hjelp',
    residentWishesRecorded: 'Beboerens egne ønsker kommer tydelig fram i rapporten',
    professionalAssessmentRecorded: 'Institusjonens faglige vurdering kommer tydelig fram i rapporten',
  },
  'housing-meeting': {
    doneAt: 'Dato for boligmøtet',
    bydelAttended: 'Deltok bydelen på møtet?',
    applicationsAgreed: 'Hvem forbereder og sender hvilke søknader',
    statusReportLateAgreed:
      'Statusrapporten kom ikke i god tid før møtet, men begge parter ble enige om å holde boligmøtet likevel',
  },
  applications: {
    doneAt: 'Dato alle nødvendige søknader var sendt',
    applications: 'Søknader og henvisninger som er sendt',
  },
  'cooperation-meeting': { doneAt: 'Dato for møtet', bydelAttended: 'Deltok bydelen på møtet?' },
  'exit-meeting': { doneAt: 'Dato for utflyttingsmøtet', institutionAttended: 'Deltok institusjonen på møtet?' },
  'housing-follow-up-contact': {
    doneAt: 'Dato for kontakten',
    atExitMeeting: 'Skjedde kontakten på utflyttingsmøtet?',
    receivingBydelInvolved: 'Var den nye bydelen involvert tidlig (ved flytting til annen bydel)?',
  },
  'cooperation-agreement': { doneAt: 'Dato samarbeidsavtalen ble inngått' },
  'follow-up-meeting': {
    doneAt: 'Dato for oppfølgingsmøtet',
    institutionAttended: 'Deltok institusjonen på møtet?',
    exitPlanReviewed: 'Utflyttingsplanen ble gjennomgått på møtet',
  },
  'extra-status-report': {
    doneAt: 'Dato for statusrapporten',
    recommendedHousing: 'Anbefalt boligtype',
    followUpNeed: 'Behov for booppfølging eller annen hjelp',
    agreedDates: 'Avtalte frister',
    delivered: 'Levert',
  },
  'final-report': { doneAt: 'Dato for sluttrapporten', sentToBydel: 'Sluttrapporten er sendt til bydelen' },
  // events and agreements (not milestones)
  'event:housing-offered': {
    date: 'Dato boligen ble tilbudt',
    hasBooppfolgingDecision: 'Har beboeren vedtak om booppfølging?',
    housingConditionalOnFollowUp: 'Er boligen tildelt med vilkår om nødvendig oppfølging?',
    expectedMoveInDate: 'Forventet innflyttingsdato',
    receivingBydelId: 'Ny bydel, om beboeren flytter til en annen bydel',
  },
  'event:discharged': { date: 'Dato for utskrivning' },
  'event:moved-in': { date: 'Dato for innflytting' },
  'event:ended-early': {
    date: 'Dato oppholdet ble avsluttet',
    reason: 'Årsak',
    toInstitutionId: 'Ny institusjon (ved flytting til annen institusjon)',
  },
  'event:bydel-changed': { date: 'Dato for bytte av bydel', bydelId: 'Ny bydel' },
  'extra-status-report:agree': { dueDate: 'Frist for den ekstra statusrapporten' },
  'exit-plan:keepPlace': {
    kind: 'Hva beholder beboeren?',
    daysPerWeek: 'Antall dager per uke',
    until: 'Avtalt til og med',
    paidBy: 'Hvem betaler?',
  },
  deviation: {
    dueDate: 'Ny frist',
    reason: 'Begrunnelse for annen frist (ingen helseopplysninger)',
    agreedBy: 'Avtalt av',
    onBehalfOfBoth:
      'Jeg bekrefter på vegne av begge parter at fristen er avtalt (ellers må den andre parten bekrefte den)',
  },
};

export const EVENT_TITLES: Record<string, string> = {
  'housing-offered': 'Bolig tilbudt',
  discharged: 'Utskrevet fra institusjonen',
  'moved-in': 'Flyttet inn i egen bolig',
  'ended-early': 'Oppholdet avsluttet før tiden',
  'bydel-changed': 'Bytte av ansvarlig bydel',
};

/** Who pays for a kept place (§3: "bydelsbetaling eller egenbetaling"), or nobody. */
export const KEEP_PLACE_PAID_BY: Record<string, string> = {
  bydel: 'Bydelen',
  resident: 'Beboeren (egenbetaling)',
  none: 'Ingen betaling',
};

export const EXIT_PLAN_RESPONSIBLE: Record<string, string> = {
  institution: 'Institusjonen',
  bydel: 'Bydelen',
  resident: 'Beboeren',
  other: 'Andre',
};
export const EXIT_PLAN_STATUS: Record<string, string> = {
  'not-started': 'Ikke startet',
  'in-progress': 'Pågår',
  done: 'Ferdig',
  continued: 'Videreføres etter innflytting',
  'not-relevant': 'Ikke aktuelt',
};

export function fieldLabel(milestone: string, field: string, fallback?: string): string {
  return FIELD_LABELS[milestone]?.[field] ?? FIELD_LABELS['*']![field] ?? fallback ?? field;
}

export const AUDIT_ACTIONS: Record<string, string> = {
  'stay.registered': 'registrerte oppholdet',
  'milestone.completed': 'fullførte',
  'milestone.onboarded': 'registrerte som allerede fullført',
  'status-report.marked-insufficient': 'meldte statusrapporten mangelfull',
  'deviation.agreed': 'avtalte annen frist for',
  'deviation.proposed': 'foreslo annen frist (venter på bekreftelse fra den andre parten) for',
  'deviation.confirmed': 'bekreftet avtalt frist for',
  'recurring.due-passed': 'Ingen møte registrert innen fristen; ny påminnelse før neste frist for',
  'rules.adopted': 'Oppholdet følger nå oppdatert regelverk',
  'rules.amended':
    'Avtalt frist for jevnlig samarbeidsmøte gjaldt bare til neste møte; fristen regnes igjen fra siste møte',
  'rules.deviation-kept':
    'Et avvik som begge parter avtalte etter det tidligere regelverket, beholder den avtalte datoen',
  'rules.offer-keeps-deadline':
    'En frist som var passert da bolig ble tilbudt, beholder datoen den fikk da boligmøtet ble flyttet',
  'rules.offer-keeps-anchor-date':
    'En frist som var passert da bolig ble tilbudt, beholder datoen den hadde da; et avvik for boligmøtet avtalt etter tilbudet flytter den ikke',
  'stay.reopened': 'gjenåpnet oppholdet',
  'extra-status-report.agreed': 'avtalte en ekstra statusrapport',
  'exit-plan.updated': 'oppdaterte utflyttingsplanen',
  'stay.completed': 'Oppholdet ble fullført',
  'correction.withdraw': 'trakk tilbake',
  'correction.change-date': 'endret datoen for',
  'event.housing-offered': 'registrerte at bolig er tilbudt',
  'event.discharged': 'registrerte utskrivning',
  'event.moved-in': 'registrerte innflytting',
  'event.ended-early': 'registrerte at oppholdet ble avsluttet før tiden',
  'event.bydel-changed': 'registrerte bytte av ansvarlig bydel',
  'escalation.second-level': 'Eskalert videre (fristen fortsatt ikke overholdt):',
  'escalation.overdue': 'Fristen gikk ut for',
  'escalation.reminder': 'Påminnelse om',
  'contacts.updated': 'endret kontaktpersonene',
  'milestone.taken': 'tok oppfølgingen av',
  'escalation.taken': 'tok varselet om',
  'escalation.acknowledged': 'kvitterte for varselet om',
  'milestone.given-back': 'ga fra seg oppfølgingen av',
  'meeting.planned': 'planla et møte:',
  'meeting.moved': 'flyttet et møte:',
  'meeting.updated': 'endret et møte:',
  'meeting.cancelled': 'avlyste et møte:',
  'meeting.attendance-recorded': 'registrerte oppmøtet på',
};

/** Bookkeeping the workflow records for itself; a person reading the history has no use for it. */
const TECHNICAL_FIELDS = new Set([
  'doneAt',
  'date',
  'section',
  'rulesVersion',
  'revision',
  'interpretations',
  'actor',
  'meetingId',
  'id',
]);

/** Fields that hold an organisation's id: shown by its name, as everywhere else on the page. */
const ORGANISATION_FIELDS = new Set(['institutionId', 'bydelId', 'receivingBydelId', 'toInstitutionId']);

/**
 * A milestone record as short Norwegian text: "Deltok bydelen?: ja · Anbefalt boligtype: Kommunal bolig".
 * `orgName` names an organisation by its id (the register's `orgName`; this module stays free of it for node tests).
 */
export function describeDetails(
  milestone: string,
  details: Record<string, unknown> | null | undefined,
  orgName: (id: string) => string = (id) => id,
): string[] {
  if (!details) return [];
  const out: string[] = [];
  // In the order the rule book lists them ((a)–(e) …), then anything newer.
  const order = Object.keys(FIELD_LABELS[milestone] ?? {});
  const rank = (field: string) => (order.includes(field) ? order.indexOf(field) : order.length);
  const entries = Object.entries(details).sort(([a], [b]) => rank(a) - rank(b));
  for (const [field, value] of entries) {
    if (field === 'occurrences') {
      if (Array.isArray(value) && value.length) out.push(`Møter holdt: ${describeValue(milestone, value)}`);
      continue;
    }
    if (field === 'onboarded') {
      if (value === true) out.push('Registrert ved oppstart av løsningen');
      continue;
    }
    if (TECHNICAL_FIELDS.has(field)) continue;
    const shown =
      ORGANISATION_FIELDS.has(field) && typeof value === 'string' ? orgName(value) : describeValue(milestone, value);
    out.push(`${fieldLabel(milestone, field)}: ${shown}`);
  }
  return out;
}

function describeValue(milestone: string, value: unknown): string {
  if (value === true) return 'ja';
  if (value === false) return 'nei';
  if (typeof value === 'string')
    return (
      VALUE_LABELS[value] ??
      TITLES.get(value) ??
      (/^\d{4}-\d{2}-\d{2}$/.test(value) ? value.split('-').reverse().join('.') : value)
    );
  if (Array.isArray(value)) {
    if (value.length === 0) return 'ingen';
    return value
      .map((item) =>
        item && typeof item === 'object'
          ? Object.entries(item as Record<string, unknown>)
              .map(([k, v]) =>
                k === 'type'
                  ? describeValue(milestone, v)
                  : `${fieldLabel(milestone, k).toLowerCase()} ${describeValue(milestone, v)}`,
              )
              .join(', ')
          : describeValue(milestone, item),
      )
      .join('; ');
  }
  if (value && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    if ('from' in o && 'to' in o) return `${describeValue(milestone, o.from)} → ${describeValue(milestone, o.to)}`;
    // a person ("Ta saken" on a milestone): by name, else by their login
    if (Object.keys(o).sort().join() === 'name,userId') return String(o.name ?? o.userId);
    if (typeof o.milestone === 'string') return milestoneTitle(o.milestone);
    if (typeof o.event === 'string') return EVENT_TITLES[o.event] ?? o.event;
    return Object.entries(o)
      .map(([k, v]) => `${fieldLabel(milestone, k)} ${describeValue(milestone, v)}`)
      .join(', ');
  }
  if (value === null || value === undefined) return '–';
  return String(value);
}
