import { PktAlert, PktButton, PktCheckbox, PktSelect } from '@oslokommune/punkt-react';
import { type FormEvent, useEffect, useState } from 'react';
import type { Contact, ContactInput, ContactList, ContactRole } from '../../../schemas/contacts';
import { CONTACT_ROLES } from '../../../schemas/contacts';
import { api, ApiError, type Stay } from '../api';
import { problemToFormErrors } from '../errors';
import { ErrorSummary, fieldId, TextField } from '../fields';
import { useRowKeys } from '../forms/row-keys';
import { useFormSubmit } from '../forms/use-form-submit';
import { orgName } from '../organisations';
import type { User } from '../session';

export const CONTACT_ROLE_LABEL: Record<ContactRole, string> = {
  'primary-contact': 'Primærkontakt (institusjonen)',
  'bydel-contact': 'Kontaktperson i bydelen',
  'housing-follow-up-worker': 'Booppfølger',
  other: 'Annen kontakt',
};

type Row = {
  id?: string;
  role: ContactRole;
  name: string;
  organisationId: string;
  phone: string;
  email: string;
  userId: string;
};

const KINDS: Record<string, 'text' | 'choice' | 'list'> = {
  'contacts.*.role': 'choice',
  'contacts.*.name': 'text',
  'contacts.*.organisationId': 'choice',
  'contacts.*.phone': 'text',
  'contacts.*.email': 'text',
  'contacts.*.id': 'text',
  contacts: 'list',
};

/** The bydeler a stay has to do with: its own, the one the resident is moving to, earlier ones. */
function bydelerOf(stay: Stay): string[] {
  const receiving = (stay.transition.housingOffered as { receivingBydelId?: string } | null)?.receivingBydelId;
  return [
    ...new Set([stay.bydelId, ...(receiving ? [receiving] : []), ...stay.transition.bydelChanges.map((c) => c.from)]),
  ];
}

/** Which organisation a role belongs to by default (§2: primary contacts are the institution's). */
const defaultOrg = (stay: Stay, role: ContactRole, receiving?: string) =>
  role === 'primary-contact'
    ? stay.institutionId
    : role === 'housing-follow-up-worker'
      ? (receiving ?? stay.bydelId)
      : role === 'bydel-contact'
        ? stay.bydelId
        : '';

const toRow = (c: Contact): Row => ({
  id: c.id,
  role: c.role,
  name: c.name,
  organisationId: c.organisationId,
  phone: c.phone ?? '',
  email: c.email ?? '',
  userId: c.userId ?? '',
});

const toInput = (r: Row): ContactInput => ({
  ...(r.id ? { id: r.id } : {}),
  role: r.role,
  name: r.name.trim(),
  organisationId: r.organisationId.trim(),
  ...(r.phone.trim() ? { phone: r.phone.trim() } : {}),
  ...(r.email.trim() ? { email: r.email.trim() } : {}),
  ...(r.userId ? { userId: r.userId } : {}),
});

/**
 * The stay's contacts, loaded with the page, with the version they were read at: a save sends it back (If-Match), so
 * that a change someone else made meanwhile is refused instead of overwritten. `setContacts` with a saved list.
 */
export function useContacts(stayId: string | undefined) {
  const [list, setContacts] = useState<ContactList | null>(null);
  const [error, setError] = useState<string>();
  useEffect(() => {
    if (!stayId) return;
    const controller = new AbortController();
    api<ContactList>(`/api/stays/${stayId}/contacts`, { signal: controller.signal })
      .then(setContacts)
      .catch(
        (err) =>
          (err as Error).name !== 'AbortError' && setError(problemToFormErrors(err, { kindOf: () => undefined }).form),
      );
    return () => controller.abort();
  }, [stayId]);
  return { contacts: list?.contacts ?? null, version: list?.version, setContacts, error };
}

/**
 * Who to call (§2, §3): the institution's primary contacts, the bydel's contacts, the booppfølger, others — with
 * phone and e-mail as links. The organisations responsible for the stay keep the list up to date.
 */
export function ContactsCard(props: {
  stay: Stay;
  user: User | null;
  canEdit: boolean;
  contacts: Contact[] | null;
  /** the version the contacts were read at (If-Match) */
  version?: string;
  loadError?: string;
  onSaved(list: ContactList): void;
}) {
  const [editing, setEditing] = useState(false);
  const [notice, setNotice] = useState<string>();
  const { stay, contacts } = props;
  return (
    <section aria-labelledby="kontaktpersoner" className="block contacts-card" data-testid="contacts">
      <h2 id="kontaktpersoner" className="pkt-txt-22-medium">
        Kontaktpersoner
      </h2>
      {notice && (
        <PktAlert skin="success" role="status" compact>
          {notice}
        </PktAlert>
      )}
      {props.loadError && <PktAlert skin="error">{props.loadError}</PktAlert>}
      {!contacts && !props.loadError && <p aria-live="polite">Laster kontaktpersoner …</p>}
      {contacts && !editing && (
        <>
          {contacts.length === 0 ? (
            <p>
              Ingen kontaktpersoner er registrert. Institusjonen tildeler primærkontakter ved innskriving, og bydelen
              holder institusjonen orientert om sine kontaktpersoner (Fellesskriv §2).
            </p>
          ) : (
            <ul className="contacts">
              {contacts.map((c) => (
                <li key={c.id} className="contact" data-contact={c.role}>
                  <span className="contact__name">{c.name}</span>
                  <span className="contact__role">
                    {CONTACT_ROLE_LABEL[c.role]} · {orgName(c.organisationId)}
                  </span>
                  {c.phone && (
                    <a className="pkt-link" href={`tel:${c.phone.replace(/[\s()-]/g, '')}`}>
                      Ring {c.phone}
                    </a>
                  )}
                  {c.email && (
                    <a className="pkt-link" href={`mailto:${c.email}`}>
                      {c.email}
                    </a>
                  )}
                </li>
              ))}
            </ul>
          )}
          {props.canEdit && (
            <PktButton
              type="button"
              skin="secondary"
              size="small"
              onClick={() => {
                setNotice(undefined);
                setEditing(true);
              }}
            >
              Endre kontaktpersoner
            </PktButton>
          )}
        </>
      )}
      {contacts && editing && (
        <ContactsForm
          stay={stay}
          user={props.user}
          contacts={contacts}
          version={props.version}
          onCancel={() => setEditing(false)}
          onSaved={(saved) => {
            setEditing(false);
            setNotice('Kontaktpersonene er lagret.');
            props.onSaved(saved);
          }}
        />
      )}
    </section>
  );
}

function ContactsForm(props: {
  stay: Stay;
  user: User | null;
  contacts: Contact[];
  version?: string;
  onCancel(): void;
  onSaved(list: ContactList): void;
}) {
  const { stay } = props;
  const [rows, setRows] = useState<Row[]>(props.contacts.map(toRow));
  const { errors, busy, formRef, run } = useFormSubmit();
  const keys = useRowKeys(rows.length);
  const idOf = (path: string) => fieldId('kontakt', path);
  const bydeler = bydelerOf(stay);
  const receiving = bydeler.find((b) => b !== stay.bydelId);

  const update = (i: number, patch: Partial<Row>) =>
    setRows((rs) => rs.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  const labelOf = (path: string) => {
    const [, index, field] = path.split('.');
    const what: Record<string, string> = {
      role: 'rolle',
      name: 'navn',
      organisationId: 'organisasjon',
      phone: 'telefon',
      email: 'e-post',
    };
    return field ? `Kontaktperson ${Number(index) + 1}: ${what[field] ?? field}` : 'Kontaktpersoner';
  };

  async function submit(event: FormEvent) {
    event.preventDefault();
    await run(
      async () => {
        const saved = await api<ContactList>(`/api/stays/${stay.id}/contacts`, {
          method: 'PUT',
          body: { contacts: rows.map(toInput) },
          ...(props.version ? { headers: { 'if-match': `"${props.version}"` } } : {}),
        });
        props.onSaved(saved);
      },
      (err) =>
        err instanceof ApiError && err.status === 403
          ? {
              fields: {},
              form: 'Bare institusjonen og bydelen som har ansvar for oppholdet, kan endre kontaktpersonene.',
            }
          : err instanceof ApiError && err.status === 412
            ? { fields: {}, form: 'Noen andre har endret kontaktene. Last siden på nytt.' }
            : problemToFormErrors(err, { kindOf: (path) => KINDS[path] ?? KINDS[path.replace(/\.\d+\./, '.*.')] }),
    );
  }

  return (
    <form
      ref={formRef}
      onSubmit={submit}
      noValidate
      className="completion-form stack"
      aria-label="Endre kontaktpersoner"
    >
      <ErrorSummary form={errors.form} fields={errors.fields} labelOf={labelOf} idOf={idOf} />
      {rows.length === 0 && <p className="muted">Ingen kontaktpersoner. Legg til den første.</p>}
      {rows.map((r, i) => (
        <fieldset className="list-field__item contact-row" key={keys.keys[i]} aria-label={`Kontaktperson ${i + 1}`}>
          <PktSelect
            id={idOf(`contacts.${i}.role`)}
            label="Rolle"
            value={r.role}
            onChange={(e) => {
              const role = e.target.value as ContactRole;
              update(i, { role, organisationId: defaultOrg(stay, role, receiving) });
            }}
          >
            {CONTACT_ROLES.map((role) => (
              <option key={role} value={role}>
                {CONTACT_ROLE_LABEL[role]}
              </option>
            ))}
          </PktSelect>
          <TextField
            id={idOf(`contacts.${i}.name`)}
            label="Navn"
            value={r.name}
            onChange={(name) => update(i, { name })}
            error={errors.fields[`contacts.${i}.name`]}
            autoComplete="name"
          />
          {r.role === 'primary-contact' ? (
            <p className="muted">Organisasjon: {orgName(stay.institutionId)}</p>
          ) : r.role === 'other' ? (
            <TextField
              id={idOf(`contacts.${i}.organisationId`)}
              label="Organisasjon"
              value={r.organisationId}
              onChange={(organisationId) => update(i, { organisationId })}
              error={errors.fields[`contacts.${i}.organisationId`]}
              helptext="For eksempel DPS, NAV eller fastlege."
            />
          ) : (
            <PktSelect
              id={idOf(`contacts.${i}.organisationId`)}
              label="Bydel"
              value={r.organisationId}
              onChange={(e) => update(i, { organisationId: e.target.value })}
              hasError={!!errors.fields[`contacts.${i}.organisationId`]}
              errorMessage={errors.fields[`contacts.${i}.organisationId`]}
            >
              {bydeler.map((b) => (
                <option key={b} value={b}>
                  {orgName(b)}
                </option>
              ))}
            </PktSelect>
          )}
          <TextField
            id={idOf(`contacts.${i}.phone`)}
            label="Telefon"
            optional
            value={r.phone}
            onChange={(phone) => update(i, { phone })}
            error={errors.fields[`contacts.${i}.phone`]}
            autoComplete="tel"
          />
          <TextField
            id={idOf(`contacts.${i}.email`)}
            label="E-post"
            optional
            value={r.email}
            onChange={(email) => update(i, { email })}
            error={errors.fields[`contacts.${i}.email`]}
            autoComplete="email"
          />
          {props.user && (!r.userId || r.userId === props.user.sub) && (
            <PktCheckbox
              id={idOf(`contacts.${i}.userId`)}
              label="Dette er meg (oppholdet vises under «Mine beboere»)"
              checked={r.userId === props.user.sub}
              onChange={(e) => update(i, { userId: e.target.checked ? props.user!.sub : '' })}
            />
          )}
          <PktButton
            type="button"
            skin="tertiary"
            size="small"
            onClick={() => {
              keys.remove(i);
              setRows((rs) => rs.filter((_, j) => j !== i));
            }}
          >
            Fjern kontaktperson {i + 1}
          </PktButton>
        </fieldset>
      ))}
      <PktButton
        type="button"
        skin="secondary"
        size="small"
        onClick={() =>
          setRows((rs) => [
            ...rs,
            {
              role: 'primary-contact',
              name: '',
              organisationId: stay.institutionId,
              phone: '',
              email: '',
              userId: '',
            },
          ])
        }
      >
        Legg til kontaktperson
      </PktButton>
      <div className="form-actions">
        <PktButton type="submit" skin="primary" disabled={busy}>
          Lagre kontaktpersoner
        </PktButton>
        <PktButton type="button" skin="tertiary" onClick={props.onCancel}>
          Avbryt
        </PktButton>
      </div>
    </form>
  );
}
