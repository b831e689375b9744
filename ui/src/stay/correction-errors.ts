// The API's answer to a correction (POST /api/stays/:id/corrections) as Norwegian text next to the field it
// concerns. A refused correction says in English which later record it would break; people read it here, in
// Norwegian, with the milestone names of the rule book. Pure, so it is unit-tested in node.
import { ApiError } from '../api-error';
import { problemToFormErrors, type FormErrors } from '../errors';
import { formatDate } from '../format';
import { EVENT_TITLES, milestoneTitle } from '../texts';

export type CorrectionAction = 'withdraw' | 'change-date';

/** The correction form's fields: `action` (withdraw / change date), `date`, `reason`. */
export const CORRECTION_KINDS = { action: 'choice', date: 'date', reason: 'text' } as const;

export const REASON_MESSAGE = 'Skriv en begrunnelse for korrigeringen (minst 3 tegn).';

const name = (key: string) => `«${EVENT_TITLES[key] ?? milestoneTitle(key)}»`;
const nbDate = (text: string) => text.replace(/\b(\d{4}-\d{2}-\d{2})\b/g, (iso) => formatDate(iso));

const WHEN_POSSIBLE: Record<string, string> = {
  'the housing offer': 'boligen ble tilbudt',
  'the status report': 'statusrapporten ble fullført',
  'the previous change of bydel': 'forrige bytte av bydel',
};

/**
 * What the rule that a later record would break says, in Norwegian: the inner refusal of
 * "After this correction the stay would break a rule: …".
 */
export function brokenRuleMessage(detail: string, admittedAt?: string): string {
  const inner = detail.replace(/^.*?would break a rule:\s*/s, '');
  const requires = /"([a-z-]+)" requires "([a-z-]+)" to be completed first/.exec(inner);
  if (requires) {
    const [, later, earlier] = requires;
    return `${name(later!)} er registrert og bygger på ${name(earlier!)}. Korriger eller trekk tilbake ${name(later!)} først.`;
  }
  const order = /"([a-z-]+)" on (\d{4}-\d{2}-\d{2}) would be before "([a-z-]+)"/.exec(inner);
  if (order) {
    const [, later, laterDate, earlier] = order;
    return `${name(later!)} (${formatDate(laterDate!)}) må komme etter ${name(earlier!)}. Velg en dato til og med ${formatDate(laterDate!)}, eller korriger ${name(later!)} først.`;
  }
  const recordFirst = /Record "([a-z-]+)" (first|before)/.exec(inner);
  if (recordFirst) {
    return `En senere registrering (utskrivning eller innflytting) bygger på ${name(recordFirst[1]!)}. Korriger den først.`;
  }
  const notOpen = /Milestone "([a-z-]+)" (is not open|does not apply)/.exec(inner);
  if (notOpen) {
    return `${name(notOpen[1]!)} er registrert og forutsetter dette. Korriger eller trekk tilbake ${name(notOpen[1]!)} først.`;
  }
  if (/is in the future/.test(inner)) return 'Datoen kan ikke være fram i tid.';
  if (/before the admission date/.test(inner)) {
    return `Datoen kan ikke være før innskrivingen${admittedAt ? ` (${formatDate(admittedAt)})` : ''}.`;
  }
  const tooEarly = /The date \S+ is before (\d{4}-\d{2}-\d{2}), when (.+) became possible/.exec(inner);
  if (tooEarly) {
    const [, possibleFrom, cause] = tooEarly;
    const what = /^"([a-z-]+)"$/.exec(cause!);
    return `Datoen kan ikke være før ${formatDate(possibleFrom!)}, da ${what ? `${name(what[1]!)} ble åpnet` : (WHEN_POSSIBLE[cause!] ?? nbDate(cause!))}.`;
  }
  if (/already (done|completed|recorded|offered|discharged)/i.test(inner)) {
    return 'Korrigeringen ville gitt to registreringer av det samme. Korriger den andre registreringen først.';
  }
  return 'Korrigeringen ville gjort at en senere registrering bryter reglene i Fellesskrivet. Korriger den senere registreringen først.';
}

/** The refusal of a correction → messages by field (`action`, `date`, `reason`) or for the whole form. */
export function correctionErrors(err: unknown, ctx: { action: CorrectionAction; admittedAt?: string }): FormErrors {
  if (err instanceof ApiError && err.problem.code) {
    const detail = err.problem.detail ?? '';
    const onAction = ctx.action === 'change-date' ? 'date' : 'action';
    switch (err.problem.code) {
      case 'correction-breaks-rules':
        return { fields: { [onAction]: brokenRuleMessage(detail, ctx.admittedAt) } };
      case 'no-change':
        if (/reason/i.test(detail)) return { fields: { reason: REASON_MESSAGE } };
        return { fields: { date: 'Datoen er allerede registrert slik. Skriv den riktige datoen.' } };
      case 'not-permitted':
        return {
          fields: {},
          form: 'Bare organisasjonen som registrerte dette, eller en administrator, kan korrigere det.',
        };
      case 'nothing-to-correct':
        return {
          fields: {},
          form: 'Det finnes ingen registrering å korrigere. Last siden på nytt for å se oppholdet slik det er nå.',
        };
      case 'stay-closed':
        return { fields: {}, form: 'Oppholdet er fullført, så registreringene kan ikke lenger korrigeres.' };
    }
  }
  const errors = problemToFormErrors(err, {
    kindOf: (path) => CORRECTION_KINDS[path as keyof typeof CORRECTION_KINDS],
    dateField: 'date',
    admittedAt: ctx.admittedAt,
  });
  if (errors.fields.reason) errors.fields.reason = REASON_MESSAGE;
  return errors;
}

/** What the person must fix before the correction is sent at all (the API checks everything again). */
export function checkCorrection(values: { action: string; date: string; reason: string }): Record<string, string> {
  const fields: Record<string, string> = {};
  if (values.action !== 'withdraw' && values.action !== 'change-date')
    fields.action = 'Velg om du vil endre datoen eller trekke registreringen tilbake.';
  if (values.action === 'change-date' && !values.date.trim())
    fields.date = 'Skriv den riktige datoen på formen dd.mm.åååå.';
  if (values.reason.trim().length < 3) fields.reason = REASON_MESSAGE;
  return fields;
}
