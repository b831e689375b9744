import { milestoneRule } from '../../rules/milestones';
import type { MilestoneKey } from '../../rules/types';
import { contactLine, type MailContext } from './mail-context';

/**
 * Norwegian (bokmål) texts of notifications. Nothing about the resident, not even the pseudonymous reference: which
 * deadline (milestone and due date), which institution and bydel (by name), who follows it up and who to call (staff),
 * and a link to the stay in the app, where access is checked.
 */
export type NotificationItem = {
  deliveryId: string;
  escalationId: string;
  kind: 'reminder' | 'overdue' | 'second-level';
  milestone: string;
  stayId: string;
  dueDate: string; // YYYY-MM-DD
  institutionId: string;
  bydelId: string;
  /** The deadline the step belongs to (one alarm per milestone and due date). */
  alarmId: string;
};

export type Mail = { subject: string; text: string };

/** YYYY-MM-DD → dd.mm.åååå */
export const norwegianDate = (iso: string): string => {
  const [y, m, d] = iso.slice(0, 10).split('-');
  return `${d}.${m}.${y}`;
};

export const milestoneTitle = (key: string): string => {
  try {
    return milestoneRule(key as MilestoneKey).titleNb;
  } catch {
    return key;
  }
};

export const stayLink = (appBaseUrl: string, stayId: string) => `${appBaseUrl}/opphold/${stayId}`;

const KIND_SUBJECT: Record<NotificationItem['kind'], string> = {
  reminder: 'Påminnelse',
  overdue: 'Frist overskredet',
  'second-level': 'Frist fortsatt overskredet – varsel til begge parter',
};

function sentence(item: NotificationItem): string {
  const title = `«${milestoneTitle(item.milestone)}»`;
  const date = norwegianDate(item.dueDate);
  if (item.milestone === 'move-in-recorded')
    return `Beboeren er skrevet ut, men det er ikke registrert hvor beboeren flyttet (frist ${date}). Registrer innflytting i egen bolig, eller at oppholdet ble avsluttet, med årsak.`;
  switch (item.kind) {
    case 'reminder':
      return `Fristen ${title} forfaller ${date}.`;
    case 'overdue':
      return `Fristen ${title} gikk ut ${date} og er ikke registrert som utført.`;
    case 'second-level':
      return `Fristen ${title} gikk ut ${date} og er fortsatt ikke utført. Institusjonen og bydelen har like stort ansvar (Fellesskriv 3/2021 §4), så varselet går nå til begge, også til ledere.`;
  }
}

const FOOTER = [
  'E-posten nevner ikke beboeren. Logg inn i Oppholdsløpet for å se oppholdet.',
  'Dette er en automatisk melding fra Oppholdsløpet, Oslo kommune. Ikke svar på denne e-posten.',
];

/** Who follows the deadline up, or that nobody has taken it yet (then the mail says how to). */
const followUpLine = (followedBy: string[]) =>
  followedBy.length > 0
    ? `Følges opp av ${followedBy.join(' og ')}.`
    : 'Ingen har tatt saken ennå. Den som skal følge opp fristen, trykker «Ta saken» på oppholdet i Oppholdsløpet.';

export function immediateMail(item: NotificationItem, ctx: MailContext): Mail {
  return {
    subject: `${KIND_SUBJECT[item.kind]}: ${milestoneTitle(item.milestone)} (frist ${norwegianDate(item.dueDate)})`,
    text: [
      'Hei,',
      '',
      `${sentence(item)}`,
      `Oppholdet gjelder en beboer ved ${ctx.name(item.institutionId)}, ${ctx.name(item.bydelId)}.`,
      followUpLine(ctx.followedBy),
      ...(ctx.contacts.length > 0
        ? ['', 'Kontaktpersoner for oppholdet:', ...ctx.contacts.map((c) => contactLine(c, ctx.name))]
        : []),
      '',
      `Se oppholdet: ${stayLink(ctx.appBaseUrl, item.stayId)}`,
      '',
      `Varsel-ID: ${item.deliveryId}`,
      '',
      ...FOOTER,
      '',
    ].join('\n'),
  };
}

const LEVEL_RANK: Record<NotificationItem['kind'], number> = { reminder: 1, overdue: 2, 'second-level': 3 };
const LEVEL_NB: Record<NotificationItem['kind'], string> = {
  reminder: 'påminnelse',
  overdue: 'frist overskredet',
  'second-level': 'varsel til begge parter',
};

/** The digest's items, one per deadline: the steps of one deadline collected since the last digest become one line. */
function byDeadline(items: NotificationItem[]): { item: NotificationItem; steps: NotificationItem[] }[] {
  const groups = new Map<string, NotificationItem[]>();
  for (const item of items) groups.set(item.alarmId, [...(groups.get(item.alarmId) ?? []), item]);
  return [...groups.values()].map((group) => {
    const steps = group.sort((a, b) => LEVEL_RANK[a.kind] - LEVEL_RANK[b.kind]);
    return { item: steps.at(-1)!, steps };
  });
}

export function digestMail(
  digest: { deliveryId: string; digestDate: string; items: NotificationItem[] },
  ctx: Pick<MailContext, 'appBaseUrl' | 'name'>,
): Mail {
  const deadlines = byDeadline(digest.items);
  const n = deadlines.length;
  return {
    subject: `Daglig oversikt ${norwegianDate(digest.digestDate)}: ${n} ${n === 1 ? 'frist' : 'frister'} å følge opp`,
    text: [
      'Hei,',
      '',
      `Her er dagens oversikt over påminnelser og overskredne frister (${n}):`,
      '',
      ...deadlines.flatMap(({ item, steps }, i) => [
        `${i + 1}. ${KIND_SUBJECT[item.kind]} – ${sentence(item)}`,
        ...(steps.length > 1
          ? [`   Nivåer siden forrige oversikt: ${steps.map((s) => LEVEL_NB[s.kind]).join(' → ')}.`]
          : []),
        `   ${ctx.name(item.institutionId)}, ${ctx.name(item.bydelId)}. Se oppholdet: ${stayLink(ctx.appBaseUrl, item.stayId)}`,
        `   Varsel-ID: ${steps.map((s) => s.deliveryId).join(', ')}`,
        '',
      ]),
      `Oversikt-ID: ${digest.deliveryId}`,
      '',
      ...FOOTER,
      '',
    ].join('\n'),
  };
}
