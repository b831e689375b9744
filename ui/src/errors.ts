// Turns the API's problem+json into Norwegian messages placed next to the field they concern. The API speaks
// English to developers; people see only these texts.
import { milestoneTitle } from './texts';
import { ApiError, type Problem } from './api-error';
import { formatDate } from './format';

export type FieldKind = 'text' | 'date' | 'boolean' | 'confirm' | 'choice' | 'list' | 'number';

export type FormErrors = {
  /** By field path without the `body.` prefix, e.g. `residentRef`, `applications.0.sentAt`. */
  fields: Record<string, string>;
  /** A message for the whole form (a rule refused the change, the service is down, …). */
  form?: string;
};

const KIND_MESSAGES: Record<FieldKind, string> = {
  text: 'Fyll ut feltet.',
  date: 'Skriv en gyldig dato på formen dd.mm.åååå.',
  boolean: 'Svar ja eller nei.',
  confirm: 'Dette må være på plass før milepælen kan registreres som fullført. Kryss av når det er gjort.',
  choice: 'Velg et av alternativene.',
  list: 'Legg til minst én.',
  number: 'Skriv et helt tall.',
};

/** Messages the API words specially, recognised by what they say. */
function specialMessage(message: string): string | undefined {
  if (/national identity number/i.test(message)) {
    return 'Dette ser ut som et fødselsnummer (11 siffer). Bruk beboerens pseudonyme referanse, aldri fødselsnummer.';
  }
  if (/organisation id is/i.test(message)) return 'Bruk 1–64 tegn: bokstaver (a–z), tall og tegnene . _ -';
  if (/letters, digits/i.test(message)) return 'Bruk bare bokstaver, tall og tegnene . _ : -';
  if (/calendar date/i.test(message)) return KIND_MESSAGES.date;
  if (/e-mail address once/i.test(message)) return 'Hver e-postadresse kan bare stå én gang.';
  if (/e-mail address/i.test(message)) return 'Skriv en gyldig e-postadresse.';
  if (/HH:MM/.test(message)) return 'Skriv klokkeslettet som TT:MM, for eksempel 07:00.';
  if (/http\(s\) URL/i.test(message)) return 'Skriv en gyldig adresse som begynner med https://';
  if (/at least 16 characters/i.test(message)) return 'Hemmeligheten må ha minst 16 tegn.';
  if (/registered, active bydel/i.test(message))
    return 'Bydelen er ikke registrert eller er deaktivert. Velg en aktiv bydel fra listen.';
  if (/id is already registered/i.test(message)) return 'Det finnes allerede en organisasjon med denne ID-en.';
  if (/name is already registered/i.test(message))
    return 'Det finnes allerede en organisasjon av denne typen med dette navnet.';
  if (/on or before today|in the future|on or after the day it (happens|is)/i.test(message))
    return 'Datoen kan ikke være fram i tid.';
  if (/comes after the application was sent/i.test(message)) return 'Svaret kan ikke være før søknaden ble sendt.';
  if (/valid from the day it is given/i.test(message)) return 'Datoen kan ikke være før samtykket ble gitt.';
  if (/withdrawn after it was given/i.test(message)) return 'Samtykket kan ikke trekkes tilbake før det ble gitt.';
  if (/nothing left to withdraw/i.test(message))
    return 'Samtykket var allerede utløpt den dagen; det var ikke noe å trekke tilbake.';
  if (/given until a date/i.test(message)) return 'Skriv hvor lenge samtykket gjelder (gyldig til og med).';
  if (/refused consent has no end date/i.test(message)) return 'Et samtykke som ikke er gitt, har ingen sluttdato.';
  if (/only a given consent can be withdrawn/i.test(message))
    return 'Bare et samtykke som er gitt, kan trekkes tilbake.';
  const chars = /at most (\d+) characters/i.exec(message);
  if (chars) return `Skriv høyst ${chars[1]} tegn. Ikke skriv helseopplysninger.`;
  const tasks = /at most (\d+) tasks/i.exec(message);
  if (tasks) return `Høyst ${tasks[1]} oppgaver per del.`;
  if (/same task is listed twice/i.test(message)) return 'Den samme oppgaven står to ganger.';
  if (/not a contact of this stay/i.test(message)) return 'Personen står ikke lenger i kontaktlisten.';
  if (/phone number/i.test(message)) return 'Skriv et telefonnummer med 8–15 siffer, for eksempel +47 22 33 44 55.';
  if (/belongs to (a bydel of this stay|\S+$)|assigned by the institution/i.test(message))
    return 'Personen hører ikke til en organisasjon i dette oppholdet. Velg institusjonen eller en av oppholdets bydeler.';
  if (/listed twice/i.test(message)) return 'Samme person står to ganger i samme rolle.';
  if (/contact of this stay/i.test(message)) return 'Personen er ikke en av oppholdets kontaktpersoner.';
  if (/not a time on Oslo clocks/i.test(message))
    return 'Klokkeslettet finnes ikke den dagen (klokka stilles fram til sommertid). Velg et annet.';
  if (/outside the stay/i.test(message)) return 'Møtet må være etter innskrivingen og innen to år.';
  if (/https:\/\/ address/i.test(message)) return 'Skriv en videolenke som begynner med https://';
  if (/UUID/i.test(message)) return 'Et opphold-ID har formen xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx.';
  return undefined;
}

export function fieldMessage(kind: FieldKind, apiMessage: string): string {
  if (kind === 'number') {
    const max = /expected number to be <=?\s*(-?\d+)/.exec(apiMessage);
    if (max && /too big/i.test(apiMessage)) return `Tallet kan ikke være større enn ${max[1]}.`;
    const min = /expected number to be >=?\s*(-?\d+)/.exec(apiMessage);
    if (min && /too small/i.test(apiMessage)) return `Tallet må være minst ${min[1]}.`;
  }
  return specialMessage(apiMessage) ?? KIND_MESSAGES[kind];
}

type Context = {
  /** The kind of each field the form shows, by path (list items as `applications.*.sentAt`). */
  kindOf: (path: string) => FieldKind | undefined;
  milestone?: string;
  admittedAt?: string;
  /** Field that a date refusal belongs to (`doneAt`, `admittedAt`). */
  dateField?: string;
  requires?: string[];
  /** The form's own wording of refusal codes, where the general text below would not fit. */
  messages?: Partial<Record<string, { field?: string; message: string }>>;
};

/** Norwegian texts for the refusal codes of rules/refusals.ts. */
function refusalMessage(code: string, ctx: Context): { field?: string; message: string } | undefined {
  const prerequisites = (ctx.requires ?? []).map((k) => `«${milestoneTitle(k)}»`).join(' og ') || 'en annen milepæl';
  switch (code) {
    case 'date-before-admission':
      return {
        field: ctx.dateField,
        message: `Datoen kan ikke være før innskrivingen${ctx.admittedAt ? ` (${formatDate(ctx.admittedAt)})` : ''}.`,
      };
    case 'date-in-future':
      return { field: ctx.dateField, message: 'Datoen kan ikke være fram i tid. Registrer det når det har skjedd.' };
    case 'date-too-early':
      return { field: ctx.dateField, message: 'Datoen er mer enn ti år tilbake. Sjekk årstallet.' };
    case 'date-before-prerequisite':
      return { field: ctx.dateField, message: `Datoen kan ikke være før ${prerequisites} ble fullført.` };
    case 'prerequisite-missing':
      return { message: `${prerequisites} må registreres som fullført først.` };
    case 'already-done':
      return { message: 'Dette er allerede registrert. Last siden på nytt for å se det.' };
    case 'not-open':
      return { message: 'Denne milepælen er ikke åpen for oppholdet.' };
    case 'stay-closed':
      return {
        message:
          'Oppholdet er avsluttet, så ingenting mer kan registreres på det. En administrator kan gjenåpne et opphold som ble avsluttet før tiden, med en korrigering.',
      };
    case 'not-in-good-time':
      return {
        message:
          'Statusrapporten må komme i god tid før boligmøtet (Fellesskriv §2.2). Registrer møtet på en senere dato, eller kryss av for at begge parter ble enige om å holde møtet likevel.',
      };
    case 'settled-by-event':
      return {
        message: 'Dette registreres med hendelsen «Flyttet inn i egen bolig» eller «Oppholdet avsluttet før tiden».',
      };
    case 'nothing-to-confirm':
      return { message: 'Ingen foreslått frist venter på bekreftelse. Last siden på nytt.' };
    case 'unknown-milestone':
      return { message: 'Denne milepælen finnes ikke.' };
    default:
      return undefined;
  }
}

function statusMessage(problem: Problem): string {
  switch (problem.status) {
    case 0:
      return problem.detail;
    case 401:
      return 'Du er ikke logget inn lenger. Logg inn på nytt.';
    case 403:
      return 'Du har ikke tilgang til å gjøre dette for denne organisasjonen.';
    case 404:
      return 'Fant ikke oppholdet, eller du har ikke tilgang til det.';
    case 409:
      return 'Endringen kolliderer med noe som allerede er registrert. Last siden på nytt.';
    case 504:
      return 'Tjenesten svarte ikke i tide. Endringen kan likevel være lagret: last siden på nytt før du prøver igjen.';
    case 503:
      return 'Tjenesten er midlertidig utilgjengelig. Prøv igjen om litt.';
    default:
      return problem.status >= 500
        ? 'Noe gikk galt hos oss. Prøv igjen senere.'
        : 'Noe i skjemaet er ikke gyldig. Se over feltene.';
  }
}

export function problemToFormErrors(err: unknown, ctx: Context): FormErrors {
  if (!(err instanceof ApiError)) return { fields: {}, form: 'Noe gikk galt. Prøv igjen.' };
  const problem = err.problem;
  const fields: Record<string, string> = {};
  let unplaced = false;
  for (const e of problem.errors ?? []) {
    const path = e.path.replace(/^body\.?/, '');
    const generic = path.replace(/\.\d+\./g, '.*.');
    const kind = ctx.kindOf(path) ?? ctx.kindOf(generic);
    if (kind && path) fields[path] ??= fieldMessage(kind, e.message);
    else unplaced = true;
  }
  if (Object.keys(fields).length > 0) {
    return { fields, form: unplaced ? 'Noe i skjemaet er ikke gyldig. Se over feltene.' : undefined };
  }
  const refusal = problem.code ? (ctx.messages?.[problem.code] ?? refusalMessage(problem.code, ctx)) : undefined;
  if (refusal?.field) return { fields: { [refusal.field]: refusal.message } };
  if (refusal) return { fields: {}, form: refusal.message };
  return { fields: {}, form: statusMessage(problem) };
}
