import { useState, type FormEvent } from 'react';
import { api } from '../../api';
import { ChoiceField, ErrorSummary, fieldId, TextField } from '../../fields';
import type { Organisation } from '../../organisations';
import { FormActions } from '../../forms/form-actions';
import { useFormSubmit } from '../../forms/use-form-submit';

const NEW_ORG_LABELS: Record<string, string> = { kind: 'Type', name: 'Navn', id: 'ID' };

export function NewOrganisationForm({
  onStart,
  onCreated,
}: {
  onStart(): void;
  onCreated(o: Organisation): Promise<void>;
}) {
  const [kind, setKind] = useState<Organisation['kind'] | ''>('');
  const [name, setName] = useState('');
  const [id, setId] = useState('');
  const { errors, setErrors, refuse, busy, formRef, run } = useFormSubmit();
  const idOf = (path: string) => fieldId('ny-org', path);

  async function submit(event: FormEvent) {
    event.preventDefault();
    onStart();
    const missing: Record<string, string> = {};
    if (!kind) missing.kind = 'Velg om det er en institusjon eller en bydel.';
    if (!name.trim()) missing.name = 'Skriv navnet slik brukerne skal se det.';
    if (!id.trim()) missing.id = 'Skriv en ID, for eksempel bydel-alna.';
    if (Object.keys(missing).length) return refuse({ fields: missing });
    await run(
      async () => {
        const created = await api<Organisation>('/api/organisations', {
          method: 'POST',
          body: { id: id.trim(), kind, name },
        });
        setKind('');
        setName('');
        setId('');
        setErrors({ fields: {} });
        await onCreated(created);
      },
      { kindOf: (path) => (path === 'kind' ? 'choice' : path === 'name' || path === 'id' ? 'text' : undefined) },
    );
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
      <FormActions label="Legg til" busy={busy} busyLabel="Legger til …" />
    </form>
  );
}
