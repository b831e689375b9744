import { PktAlert, PktButton, PktSelect } from '@oslokommune/punkt-react';
import { useEffect, useState, type FormEvent } from 'react';
import { api, ApiError } from '../../api';
import { problemToFormErrors, type FieldKind } from '../../errors';
import { ErrorSummary, fieldId, TextField } from '../../fields';
import { formatTimestamp } from '../../format';
import type {
  NotificationRecipient as Recipient,
  NotificationSettings as Settings,
} from '../../../../schemas/notifications';
import { orgName } from '../../organisations';
import { useRowKeys } from '../../forms/row-keys';
import { FormActions } from '../../forms/form-actions';
import { useFormSubmit } from '../../forms/use-form-submit';

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

export function SettingsForm({ orgId }: { orgId: string }) {
  const [loaded, setLoaded] = useState<Settings | null>(null);
  const [recipients, setRecipients] = useState<Recipient[]>([]);
  const [webhookUrl, setWebhookUrl] = useState('');
  const [webhookSecret, setWebhookSecret] = useState('');
  const { errors, setErrors, busy, formRef, run } = useFormSubmit();
  const [notice, setNotice] = useState<string>();
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
  }, [orgId, setErrors]);

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
    setNotice(undefined);
    const body = {
      recipients,
      webhook: webhookUrl.trim() ? { url: webhookUrl.trim(), secret: webhookSecret } : null,
    };
    await run(
      async () => {
        const saved = await api<Settings>(`/api/organisations/${encodeURIComponent(orgId)}/notification-settings`, {
          method: 'PUT',
          body,
        });
        setLoaded(saved);
        setWebhookSecret('');
        setErrors({ fields: {} });
        setNotice('Varslingsinnstillingene er lagret.');
      },
      { kindOf: (path) => KINDS[path] ?? KINDS[path.replace(/\.\d+\./, '.*.')] },
    );
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
      <FormActions label="Lagre varsling" busy={busy} />
    </form>
  );
}
