import { PktButton } from '@oslokommune/punkt-react';
import { useState, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { TextField } from '../fields';
import { PageTitle } from '../layout';
import { RuleChangeImpact } from '../rule-diff';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function AdminPage() {
  const navigate = useNavigate();
  const [id, setId] = useState('');
  const [error, setError] = useState<string>();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const value = id.trim().replace(/^stay:/, '');
    if (!UUID.test(value)) {
      setError(
        'Et opphold-ID har formen xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx (også med «stay:» foran, som i Temporal).',
      );
      return;
    }
    navigate(`/opphold/${value.toLowerCase()}/historikk`);
  };
  return (
    <>
      <PageTitle>Finn opphold</PageTitle>
      <search aria-label="Finn opphold">
        <form onSubmit={submit} noValidate className="stack narrow">
          <TextField
            id="finn-id"
            label="Opphold-ID"
            value={id}
            onChange={setId}
            error={error}
            helptext="Fra lenken til oppholdet, loggene eller Temporal (stay:<id>)."
          />
          <div className="form-actions">
            <PktButton type="submit" skin="primary">
              Vis historikk
            </PktButton>
          </div>
        </form>
      </search>
      <p>
        <Link to="/opphold" className="pkt-link">
          Se alle opphold
        </Link>
      </p>
      <RuleChangeImpact />
    </>
  );
}
