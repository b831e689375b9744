import { PktAlert, PktButton, PktTag } from '@oslokommune/punkt-react';
import { useRef, useState, type FormEvent } from 'react';
import { api } from '../../api';
import { problemToFormErrors } from '../../errors';
import { fieldId, TextField } from '../../fields';
import { useOrganisations, type Organisation } from '../../organisations';
import { NewOrganisationForm } from './new-organisation-form';
import { RegisterHistory } from './register-history';

const KIND_LABEL: Record<Organisation['kind'], string> = { institution: 'Institusjon', bydel: 'Bydel' };

/** The register: every institution and bydel, with add, rename and deactivate/reactivate (PATCH keeps the id). */
export function OrganisationRegister() {
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
