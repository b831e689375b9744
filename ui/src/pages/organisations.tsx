import { PktAlert, PktButton, PktSelect, PktTag } from '@oslokommune/punkt-react';
import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { api, ApiError } from '../api';
import { problemToFormErrors, type FieldKind, type FormErrors } from '../errors';
import { ChoiceField, ErrorSummary, fieldId, TextField } from '../fields';
import { formatDate, formatTimestamp } from '../format';
import { PageTitle } from '../layout';
import type { OrganisationEvent } from '../../../schemas/organisations';
import { orgName, useOrganisations, type Organisation } from '../organisations';
import { ESCALATION_KIND, milestoneTitle } from '../texts';
import { useRowKeys } from '../forms/row-keys';

type Recipient = {
  email: string;
  role: 'coordinator' | 'leader';
  delivery: 'immediate' | 'digest';
  digestTime: string;
};
type Settings = {
  orgId: string;
  recipients: Recipient[];
  webhook: { url: string; hasSecret: true } | null;
  updatedAt: string | null;
  updatedBy: string | null;
};
type Delivery = {
  id: string;
  stayId: string;
  milestone: string;
  kind: 'reminder' | 'overdue' | 'second-level';
  dueDate: string;
  channel: 'email' | 'webhook';
  recipient: string;
  orgId: string;
  attempts: number;
  lastError: string | null;
  createdAt: string;
};

const ROLE_OPTIONS = [
  { value: 'coordinator', label: 'Koordinator' },
  { value: 'leader', label: 'Leder (får eskaleringer videre)' },
];
const DELIVERY_OPTIONS = [
  { value: 'immediate', label: 'Straks' },
  { value: 'digest', label: 'Daglig sammendrag' },
];
const KINDS: Record<string, FieldKind> = {
  'recipients.*.email': 'text',
  'recipients.*.role': 'choice',
  'recipients.*.delivery': 'choice',
  'recipients.*.digestTime': 'text',
  recipients: 'list',
  'webhook.url': 'text',
  'webhook.secret': 'text',
};

const KIND_LABEL: Record<Organisation['kind'], string> = { institution: 'Institusjon', bydel: 'Bydel' };
const NEW_ORG_LABELS: Record<string, string> = { kind: 'Type', name: 'Navn', id: 'ID' };

/** Admin: the organisation register, who each organisation notifies about reminders and escalations, and deliveries that failed for good. */
export function OrganisationsPage() {
  const [params, setParams] = useSearchParams();
  const orgId = params.get('org') ?? '';
  const [typed, setTyped] = useState('');
  const { ofKind } = useOrganisations();
  const choice = (o: Organisation) => (
    <option key={o.id} value={o.id}>
      {o.name}
      {o.active ? '' : ' (deaktivert)'}
    </option>
  );
  return (
    <>
      <PageTitle>Organisasjoner og varsling</PageTitle>
      <p className="lead">
        Institusjonene og bydelene i løsningen, og hvem i hver av dem som får påminnelser og eskaleringer, og hvordan.
      </p>
      <OrganisationRegister />
      <h2 className="pkt-txt-22-medium">Varsling</h2>
      <div className="narrow block">
        <PktSelect
          id="velg-org"
          label="Organisasjon"
          value={orgId}
          onChange={(e) => setParams(e.target.value ? { org: e.target.value } : {})}
        >
          <option value="">Velg …</option>
          <optgroup label="Institusjoner">{ofKind('institution', { includeInactive: true }).map(choice)}</optgroup>
          <optgroup label="Bydeler">{ofKind('bydel', { includeInactive: true }).map(choice)}</optgroup>
        </PktSelect>
        <search aria-label="Annen organisasjon">
          <form
            className="inline-form"
            onSubmit={(e) => {
              e.preventDefault();
              if (typed.trim()) setParams({ org: typed.trim() });
            }}
          >
            <TextField id="annen-org" label="Eller skriv organisasjons-ID" value={typed} onChange={setTyped} />
            <PktButton type="submit" skin="secondary" size="small">
              Vis
            </PktButton>
          </form>
        </search>
      </div>
      {orgId && <SettingsForm key={orgId} orgId={orgId} />}
      <FailedDeliveries />
    </>
  );
}

/** The register: every institution and bydel, with add, rename and deactivate/reactivate (PATCH keeps the id). */
function OrganisationRegister() {
  const { organisations, reload } = useOrganisations();
  const [notice, setNotice] = useState<string>();
  const [error, setError] = useState<string>();
  const [renaming, setRenaming] = useState<string | null>(null);
  const [historyOf, setHistoryOf] = useState<Organisation | null>(null);
  const noticeRef = useRef<HTMLDivElement>(null);

  const changed = async (message: string) => {
    await reload();
    setError(undefined);
    setNotice(message);
    requestAnimationFrame(() => noticeRef.current?.focus());
  };

  async function toggle(o: Organisation) {
    setNotice(undefined);
    try {
      await api<Organisation>(`/api/organisations/${encodeURIComponent(o.id)}`, {
        method: 'PATCH',
        body: { active: !o.active },
      });
      await changed(
        o.active
          ? `${o.name} er deaktivert.${o.kind === 'bydel' ? ' Nye opphold kan ikke registreres for eller flyttes til bydelen.' : ''}`
          : `${o.name} er aktiv igjen.`,
      );
    } catch (err) {
      setError(problemToFormErrors(err, { kindOf: () => undefined }).form);
    }
  }

  const table = (kind: Organisation['kind'], caption: string) => {
    const rows = organisations.filter((o) => o.kind === kind);
    return (
      <table className="pkt-table pkt-table--zebra-blue block org-register">
        <caption className="pkt-txt-18-medium">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Navn</th>
            <th scope="col">ID</th>
            <th scope="col">Status</th>
            <th scope="col">Endre</th>
          </tr>
        </thead>
        <tbody>
          {rows.length === 0 && (
            <tr>
              <td colSpan={4}>Ingen registrert ennå.</td>
            </tr>
          )}
          {rows.map((o) => (
            <tr key={o.id}>
              <th scope="row">
                {renaming === o.id ? (
                  <RenameForm
                    org={o}
                    onDone={async (name) => {
                      setRenaming(null);
                      if (name) await changed(`Navnet er endret til ${name}.`);
                    }}
                  />
                ) : (
                  o.name
                )}
              </th>
              <td>
                <code>{o.id}</code>
              </td>
              <td>{o.active ? <PktTag skin="green">Aktiv</PktTag> : <PktTag skin="gray">Deaktivert</PktTag>}</td>
              <td>
                <div className="org-register__actions">
                  {renaming !== o.id && (
                    <PktButton
                      type="button"
                      skin="tertiary"
                      size="small"
                      aria-label={`Endre navn på ${o.name}`}
                      onClick={() => setRenaming(o.id)}
                    >
                      Endre navn
                    </PktButton>
                  )}
                  <PktButton
                    type="button"
                    skin="secondary"
                    size="small"
                    aria-label={`${o.active ? 'Deaktiver' : 'Aktiver'} ${o.name}`}
                    onClick={() => toggle(o)}
                  >
                    {o.active ? 'Deaktiver' : 'Aktiver'}
                  </PktButton>
                  <PktButton
                    type="button"
                    skin="tertiary"
                    size="small"
                    aria-label={`Endringslogg for ${o.name}`}
                    onClick={() => setHistoryOf(o)}
                  >
                    Endringslogg
                  </PktButton>
                </div>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    );
  };

  return (
    <section aria-labelledby="register" className="block">
      <h2 id="register" className="pkt-txt-22-medium">
        Organisasjoner
      </h2>
      <p>
        Opphold kan bare registreres for, eller flyttes til, en aktiv bydel. En deaktivert organisasjon beholder navnet
        sitt i eldre opphold.
      </p>
      <div ref={noticeRef} tabIndex={-1}>
        {notice && (
          <PktAlert skin="success" role="status" className="block">
            {notice}
          </PktAlert>
        )}
        {error && (
          <PktAlert skin="error" role="alert" className="block">
            {error}
          </PktAlert>
        )}
      </div>
      {table('institution', 'Institusjoner')}
      {table('bydel', 'Bydeler')}
      {historyOf && (
        <RegisterHistory
          key={`${historyOf.id}|${historyOf.updatedAt}`}
          org={historyOf}
          onClose={() => setHistoryOf(null)}
        />
      )}
      <NewOrganisationForm
        onStart={() => setNotice(undefined)}
        onCreated={(o) => changed(`${o.name} (${KIND_LABEL[o.kind].toLowerCase()}) er lagt til.`)}
      />
    </section>
  );
}

const REGISTER_ACTION: Record<OrganisationEvent['action'], (d: Record<string, unknown>) => string> = {
  'organisation.created': (d) =>
    `lagt til som ${d.kind === 'bydel' ? 'bydel' : 'institusjon'} med navnet «${String(d.name)}»${d.demo ? ' (demodata)' : ''}`,
  'organisation.renamed': (d) => `navnet endret fra «${String(d.from)}» til «${String(d.to)}»`,
  'organisation.deactivated': () => 'deaktivert',
  'organisation.reactivated': () => 'aktivert igjen',
};

/** Who added, renamed, deactivated or reactivated an organisation, and when (GET /api/organisations/:id/history). */
function RegisterHistory({ org, onClose }: { org: Organisation; onClose(): void }) {
  const [items, setItems] = useState<OrganisationEvent[] | null>(null);
  const [error, setError] = useState<string>();
  const headingRef = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    const controller = new AbortController();
    api<{ items: OrganisationEvent[] }>(`/api/organisations/${encodeURIComponent(org.id)}/history`, {
      signal: controller.signal,
    })
      .then((r) => setItems(r.items))
      .catch(
        (err) =>
          (err as Error).name !== 'AbortError' && setError(problemToFormErrors(err, { kindOf: () => undefined }).form),
      );
    requestAnimationFrame(() => headingRef.current?.focus());
    return () => controller.abort();
  }, [org.id]);
  const who = (e: OrganisationEvent) =>
    e.actor.role === 'system'
      ? 'Systemet'
      : e.actor.role === 'admin'
        ? `Administrator ${e.actor.sub ?? ''}`.trim()
        : (e.actor.sub ?? e.actor.role);
  return (
    <section aria-labelledby="register-history" className="block" data-register-history={org.id}>
      <h3 id="register-history" className="pkt-txt-18-medium" tabIndex={-1} ref={headingRef}>
        Endringslogg for {org.name}
      </h3>
      {error && <PktAlert skin="error">{error}</PktAlert>}
      {!items && !error && <p aria-live="polite">Laster endringsloggen …</p>}
      {items && (
        <ol className="history" aria-label={`Endringer av ${org.name}, eldste først`}>
          {items.map((e, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: a read-only log, replaced whole on each load and never reordered; its entries carry no id.
            <li key={i} className="history__item">
              <p className="history__time">
                <time dateTime={e.at}>{formatTimestamp(e.at)}</time>
              </p>
              <p className="history__what">
                {who(e)}: {REGISTER_ACTION[e.action](e.details ?? {})}
              </p>
            </li>
          ))}
        </ol>
      )}
      <PktButton type="button" skin="tertiary" size="small" onClick={onClose}>
        Lukk endringsloggen
      </PktButton>
    </section>
  );
}

function RenameForm({ org, onDone }: { org: Organisation; onDone(name: string | null): Promise<void> }) {
  const [name, setName] = useState(org.name);
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const id = fieldId('gi-nytt-navn', org.id);
  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    try {
      const saved = await api<Organisation>(`/api/organisations/${encodeURIComponent(org.id)}`, {
        method: 'PATCH',
        body: { name },
      });
      await onDone(saved.name);
    } catch (err) {
      const errors = problemToFormErrors(err, { kindOf: (path) => (path === 'name' ? 'text' : undefined) });
      setError(errors.fields.name ?? errors.form);
      requestAnimationFrame(() => document.getElementById(id)?.focus());
    } finally {
      setBusy(false);
    }
  }
  return (
    <form onSubmit={submit} noValidate className="stack" aria-label={`Endre navn på ${org.name}`}>
      <TextField id={id} label={`Nytt navn på ${org.name}`} value={name} onChange={setName} error={error} />
      <div className="form-actions">
        <PktButton type="submit" skin="primary" size="small" disabled={busy}>
          Lagre navn
        </PktButton>
        <PktButton type="button" skin="tertiary" size="small" onClick={() => onDone(null)}>
          Avbryt
        </PktButton>
      </div>
    </form>
  );
}

function NewOrganisationForm({ onStart, onCreated }: { onStart(): void; onCreated(o: Organisation): Promise<void> }) {
  const [kind, setKind] = useState<Organisation['kind'] | ''>('');
  const [name, setName] = useState('');
  const [id, setId] = useState('');
  const [errors, setErrors] = useState<FormErrors>({ fields: {} });
  const [busy, setBusy] = useState(false);
  const formRef = useRef<HTMLFormElement>(null);
  const idOf = (path: string) => fieldId('ny-org', path);

  async function submit(event: FormEvent) {
    event.preventDefault();
    onStart();
    const missing: Record<string, string> = {};
    if (!kind) missing.kind = 'Velg om det er en institusjon eller en bydel.';
    if (!name.trim()) missing.name = 'Skriv navnet slik brukerne skal se det.';
    if (!id.trim()) missing.id = 'Skriv en ID, for eksempel bydel-alna.';
    if (Object.keys(missing).length) {
      setErrors({ fields: missing });
      requestAnimationFrame(() => formRef.current?.querySelector<HTMLElement>('[data-error-summary]')?.focus());
      return;
    }
    setBusy(true);
    try {
      const created = await api<Organisation>('/api/organisations', {
        method: 'POST',
        body: { id: id.trim(), kind, name },
      });
      setKind('');
      setName('');
      setId('');
      setErrors({ fields: {} });
      await onCreated(created);
    } catch (err) {
      setErrors(
        problemToFormErrors(err, {
          kindOf: (path) => (path === 'kind' ? 'choice' : path === 'name' || path === 'id' ? 'text' : undefined),
        }),
      );
      requestAnimationFrame(() => formRef.current?.querySelector<HTMLElement>('[data-error-summary]')?.focus());
    } finally {
      setBusy(false);
    }
  }

  return (
    <form
      ref={formRef}
      onSubmit={submit}
      noValidate
      className="completion-form stack narrow"
      aria-labelledby="ny-org-tittel"
    >
      <h3 id="ny-org-tittel" className="pkt-txt-18-medium">
        Legg til organisasjon
      </h3>
      <ErrorSummary
        form={errors.form}
        fields={errors.fields}
        labelOf={(path) => NEW_ORG_LABELS[path] ?? path}
        idOf={idOf}
      />
      <ChoiceField
        id={idOf('kind')}
        label="Type"
        value={kind}
        onChange={(v) => setKind(v as Organisation['kind'])}
        options={[
          { value: 'institution', label: 'Institusjon' },
          { value: 'bydel', label: 'Bydel' },
        ]}
        error={errors.fields.kind}
        inline
      />
      <TextField
        id={idOf('name')}
        label="Navn"
        value={name}
        onChange={setName}
        error={errors.fields.name}
        helptext="Slik brukerne ser det, for eksempel «Bydel Alna»."
      />
      <TextField
        id={idOf('id')}
        label="ID"
        value={id}
        onChange={setId}
        error={errors.fields.id}
        helptext="Brukes i opphold og innlogging og kan ikke endres senere. Bokstaver, tall og . _ -, for eksempel bydel-alna."
      />
      <div className="form-actions">
        <PktButton type="submit" skin="primary" disabled={busy}>
          {busy ? 'Legger til …' : 'Legg til'}
        </PktButton>
      </div>
    </form>
  );
}

function SettingsForm({ orgId }: { orgId: string }) {
  const [loaded, setLoaded] = useState<Settings | null>(null);
  const [recipients, setRecipients] = useState<Recipient[]>([]);
  const [webhookUrl, setWebhookUrl] = useState('');
  const [webhookSecret, setWebhookSecret] = useState('');
  const [errors, setErrors] = useState<FormErrors>({ fields: {} });
  const [notice, setNotice] = useState<string>();
  const [busy, setBusy] = useState(false);
  const formRef = useRef<HTMLFormElement>(null);
  const idOf = (path: string) => fieldId('varsling', path);

  useEffect(() => {
    api<Settings>(`/api/organisations/${encodeURIComponent(orgId)}/notification-settings`)
      .then((s) => {
        setLoaded(s);
        setRecipients(s.recipients);
        setWebhookUrl(s.webhook?.url ?? '');
      })
      .catch((err) => {
        if (err instanceof ApiError && err.status === 404)
          setLoaded({ orgId, recipients: [], webhook: null, updatedAt: null, updatedBy: null });
        else setErrors({ fields: {}, form: problemToFormErrors(err, { kindOf: () => undefined }).form });
      });
  }, [orgId]);

  const labelOf = (path: string) => {
    const [list, index, field] = path.split('.');
    if (list === 'recipients' && field)
      return `Mottaker ${Number(index) + 1}: ${{ email: 'e-post', role: 'rolle', delivery: 'levering', digestTime: 'klokkeslett' }[field] ?? field}`;
    return (
      { recipients: 'Mottakere', 'webhook.url': 'Webhook-adresse', 'webhook.secret': 'Webhook-hemmelighet' }[path] ??
      path
    );
  };

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setNotice(undefined);
    try {
      const body = {
        recipients,
        webhook: webhookUrl.trim() ? { url: webhookUrl.trim(), secret: webhookSecret } : null,
      };
      const saved = await api<Settings>(`/api/organisations/${encodeURIComponent(orgId)}/notification-settings`, {
        method: 'PUT',
        body,
      });
      setLoaded(saved);
      setWebhookSecret('');
      setErrors({ fields: {} });
      setNotice('Varslingsinnstillingene er lagret.');
    } catch (err) {
      setErrors(problemToFormErrors(err, { kindOf: (path) => KINDS[path] ?? KINDS[path.replace(/\.\d+\./, '.*.')] }));
      requestAnimationFrame(() => formRef.current?.querySelector<HTMLElement>('[data-error-summary]')?.focus());
    } finally {
      setBusy(false);
    }
  }

  const rows = useRowKeys(recipients.length);
  const update = (i: number, patch: Partial<Recipient>) =>
    setRecipients((rs) => rs.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  const remove = (i: number) => {
    rows.remove(i);
    setRecipients((rs) => rs.filter((_, j) => j !== i));
  };
  if (!loaded)
    return errors.form ? <PktAlert skin="error">{errors.form}</PktAlert> : <p aria-live="polite">Laster …</p>;
  return (
    <form
      ref={formRef}
      onSubmit={submit}
      noValidate
      className="completion-form stack"
      aria-label={`Varsling for ${orgName(orgId)}`}
    >
      <h2 className="pkt-txt-22-medium">{orgName(orgId)}</h2>
      {notice && (
        <PktAlert skin="success" role="status">
          {notice}
        </PktAlert>
      )}
      <ErrorSummary form={errors.form} fields={errors.fields} labelOf={labelOf} idOf={idOf} />
      {loaded.updatedAt && (
        <p className="muted">
          Sist endret {formatTimestamp(loaded.updatedAt)}
          {loaded.updatedBy ? ` av ${loaded.updatedBy}` : ''}.
        </p>
      )}
      <fieldset className="list-field" id={idOf('recipients')} tabIndex={-1}>
        <legend className="pkt-txt-18-medium">Mottakere av e-post</legend>
        {recipients.length === 0 && (
          <p className="muted">Ingen mottakere: organisasjonen får ikke e-post om frister.</p>
        )}
        {recipients.map((r, i) => (
          <fieldset className="list-field__item recipient-row" key={rows.keys[i]} aria-label={`Mottaker ${i + 1}`}>
            <TextField
              id={idOf(`recipients.${i}.email`)}
              label="E-postadresse"
              value={r.email}
              onChange={(email) => update(i, { email })}
              error={errors.fields[`recipients.${i}.email`]}
              autoComplete="email"
            />
            <PktSelect
              id={idOf(`recipients.${i}.role`)}
              label="Rolle"
              value={r.role}
              onChange={(e) => update(i, { role: e.target.value as Recipient['role'] })}
              hasError={!!errors.fields[`recipients.${i}.role`]}
              errorMessage={errors.fields[`recipients.${i}.role`]}
            >
              {ROLE_OPTIONS.map((o) => (
                <option key={o.value} value={o.value}>
                  {o.label}
                </option>
              ))}
            </PktSelect>
            <PktSelect
              id={idOf(`recipients.${i}.delivery`)}
              label="Levering"
              value={r.delivery}
              onChange={(e) => update(i, { delivery: e.target.value as Recipient['delivery'] })}
            >
              {DELIVERY_OPTIONS.map((o) => (
                <option key={o.value} value={o.value}>
                  {o.label}
                </option>
              ))}
            </PktSelect>
            {r.delivery === 'digest' && (
              <TextField
                id={idOf(`recipients.${i}.digestTime`)}
                label="Klokkeslett for sammendraget (TT:MM)"
                value={r.digestTime}
                onChange={(digestTime) => update(i, { digestTime })}
                error={errors.fields[`recipients.${i}.digestTime`]}
              />
            )}
            <PktButton type="button" skin="tertiary" size="small" onClick={() => remove(i)}>
              Fjern mottaker {i + 1}
            </PktButton>
          </fieldset>
        ))}
        {errors.fields.recipients && (
          <p className="field-error" role="alert">
            {errors.fields.recipients}
          </p>
        )}
        <PktButton
          type="button"
          skin="secondary"
          size="small"
          onClick={() =>
            setRecipients((rs) => [
              ...rs,
              { email: '', role: 'coordinator', delivery: 'immediate', digestTime: '07:00' },
            ])
          }
        >
          Legg til mottaker
        </PktButton>
      </fieldset>
      <fieldset className="list-field">
        <legend className="pkt-txt-18-medium">Webhook (valgfritt)</legend>
        <TextField
          id={idOf('webhook.url')}
          label="Adresse"
          optional
          value={webhookUrl}
          onChange={setWebhookUrl}
          error={errors.fields['webhook.url']}
          helptext="Tom adresse: ingen webhook."
        />
        {webhookUrl.trim() && (
          <TextField
            id={idOf('webhook.secret')}
            label="Hemmelighet for signering"
            value={webhookSecret}
            onChange={setWebhookSecret}
            error={errors.fields['webhook.secret']}
            helptext={
              loaded.webhook
                ? 'Den lagrede hemmeligheten vises aldri. Skriv den inn på nytt for å beholde webhooken.'
                : 'Minst 16 tegn.'
            }
          />
        )}
      </fieldset>
      <div className="form-actions">
        <PktButton type="submit" skin="primary" disabled={busy}>
          {busy ? 'Lagrer …' : 'Lagre varsling'}
        </PktButton>
      </div>
    </form>
  );
}

function FailedDeliveries() {
  const [items, setItems] = useState<Delivery[] | null>(null);
  const [error, setError] = useState<string>();
  const load = useCallback(
    () =>
      api<{ items: Delivery[] }>('/api/notifications?status=failed&limit=50')
        .then((r) => setItems(r.items))
        .catch((err) => setError(problemToFormErrors(err, { kindOf: () => undefined }).form)),
    [],
  );
  useEffect(() => {
    void load();
  }, [load]);
  const redeliver = async (d: Delivery) => {
    try {
      await api(`/api/notifications/${d.id}/redeliver`, { method: 'POST', body: {} });
      await load();
    } catch (err) {
      setError(problemToFormErrors(err, { kindOf: () => undefined }).form);
    }
  };
  return (
    <section aria-labelledby="feilet" className="block">
      <h2 id="feilet" className="pkt-txt-22-medium">
        Varsler som ikke kom fram
      </h2>
      {error && <PktAlert skin="error">{error}</PktAlert>}
      {items && items.length === 0 && <p>Ingen. Alle varsler er levert eller venter på levering.</p>}
      {items && items.length > 0 && (
        <ul className="inbox" aria-label="Varsler som ikke kom fram">
          {items.map((d) => (
            <li key={d.id} className="inbox__item kind-overdue">
              <p>
                <PktTag skin="red">Feilet</PktTag> {milestoneTitle(d.milestone)} ({ESCALATION_KIND[d.kind] ?? d.kind},
                frist {formatDate(d.dueDate)}) til {d.channel === 'email' ? d.recipient : 'webhook'} ·{' '}
                {orgName(d.orgId)} · {d.attempts} forsøk
              </p>
              <p>
                <Link to={`/opphold/${d.stayId}/historikk`} className="pkt-link">
                  Se oppholdet
                </Link>{' '}
                <PktButton type="button" skin="secondary" size="small" onClick={() => redeliver(d)}>
                  Send på nytt
                </PktButton>
              </p>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
