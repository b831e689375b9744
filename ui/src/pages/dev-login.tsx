import { PktAlert, PktButton } from '@oslokommune/punkt-react';
import { useEffect, useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router-dom';
import { api, ApiError } from '../api';
import { ChoiceField, TextField } from '../fields';
import { PageTitle } from '../layout';
import { useDevLoginOrganisations } from '../organisations';
import { useSession, type Role } from '../session';
import type { DevLoginToken } from '../../../schemas/auth';

export const homeOf = (role: Role) => (role === 'bydel' ? '/innboks' : role === 'admin' ? '/admin' : '/opphold');

export function DevLoginPage() {
  const { login } = useSession();
  const navigate = useNavigate();
  const [enabled, setEnabled] = useState<boolean | null>(null);
  const [role, setRole] = useState<Role | ''>('');
  const [org, setOrg] = useState('');
  const [otherOrg, setOtherOrg] = useState('');
  const [sub, setSub] = useState('');
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [errors, setErrors] = useState<{ role?: string; org?: string; email?: string; form?: string }>({});
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    api('/api/dev/login')
      .then(() => setEnabled(true))
      .catch(() => setEnabled(false));
  }, []);

  const registered = useDevLoginOrganisations(enabled);
  const orgs = role === 'institution' || role === 'bydel' ? registered.filter((o) => o.kind === role) : [];

  async function submit(event: FormEvent) {
    event.preventDefault();
    const chosenOrg = otherOrg.trim() || org;
    const missing = {
      role: role ? undefined : 'Velg en rolle.',
      org: role && role !== 'admin' && !chosenOrg ? 'Velg en organisasjon, eller skriv en ID.' : undefined,
      email:
        email.trim() && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email.trim())
          ? 'Skriv en e-postadresse, for eksempel kari.nordmann@oslo.kommune.no, eller la feltet stå tomt.'
          : undefined,
    };
    if (missing.role || missing.org || missing.email) {
      setErrors(missing);
      return;
    }
    setBusy(true);
    try {
      const { token } = await api<DevLoginToken>('/api/dev/login', {
        method: 'POST',
        body: {
          role,
          ...(role !== 'admin' ? { org: chosenOrg } : {}),
          ...(sub.trim() ? { sub: sub.trim() } : {}),
          ...(name.trim() ? { name: name.trim() } : {}),
          ...(email.trim() ? { email: email.trim() } : {}),
        },
      });
      login(token);
      navigate(homeOf(role as Role), { replace: true });
    } catch (err) {
      const status = err instanceof ApiError ? err.status : 0;
      setErrors(
        status === 400
          ? { org: 'Organisasjons-ID kan bare ha bokstaver, tall og tegnene . _ : -' }
          : {
              form:
                status === 404
                  ? 'Utviklingsinnlogging er slått av.'
                  : 'Innloggingen feilet. Sjekk valgene og prøv igjen.',
            },
      );
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="narrow">
      <PageTitle>Logg inn (utvikling)</PageTitle>
      <PktAlert skin="warning" title="Kun for utvikling og test" className="block">
        <p>
          Her velger du selv rolle og organisasjon, uten passord. Denne innloggingen finnes bare i utviklingsoppsettet
          og skal aldri brukes med ekte beboere. I drift logger du inn med Oslo kommunes innlogging.
        </p>
      </PktAlert>
      {enabled === false && (
        <PktAlert skin="info" title="Utviklingsinnlogging er slått av" className="block">
          <p>Denne installasjonen bruker kommunens innlogging. Kontakt en administrator om du mangler tilgang.</p>
        </PktAlert>
      )}
      {enabled && (
        <form onSubmit={submit} noValidate className="stack">
          {errors.form && (
            <PktAlert skin="error" role="alert">
              {errors.form}
            </PktAlert>
          )}
          <ChoiceField
            id="login-role"
            label="Rolle"
            value={role}
            onChange={(v) => {
              setRole(v as Role);
              setOrg('');
              setErrors({});
            }}
            options={[
              { value: 'institution', label: 'Ansatt ved institusjon' },
              { value: 'bydel', label: 'Koordinator i bydel' },
              { value: 'admin', label: 'Administrator' },
            ]}
            error={errors.role}
          />
          {role && role !== 'admin' && (
            <ChoiceField
              id="login-org"
              label={role === 'institution' ? 'Institusjon' : 'Bydel'}
              value={org}
              onChange={(v) => setOrg(v)}
              options={orgs.map((o) => ({ value: o.id, label: o.name }))}
              error={errors.org}
            />
          )}
          {role && role !== 'admin' && (
            <TextField
              id="login-other-org"
              label="Eller skriv organisasjons-ID"
              optional
              value={otherOrg}
              onChange={setOtherOrg}
              helptext="For testdata med egne ID-er, for eksempel inst-test-7."
            />
          )}
          <TextField
            id="login-sub"
            label="Brukernavn"
            optional
            value={sub}
            onChange={setSub}
            helptext="Vises i historikken. Tomt gir et utviklernavn."
          />
          <TextField
            id="login-name"
            label="Navn"
            optional
            value={name}
            onChange={setName}
            helptext="Slik andre ser deg, for eksempel når du tar en sak."
          />
          <TextField
            id="login-email"
            label="E-post"
            optional
            value={email}
            onChange={setEmail}
            error={errors.email}
            helptext="Varsler om frister du tar, kommer hit."
          />
          <div className="form-actions">
            <PktButton type="submit" skin="primary" disabled={busy}>
              Logg inn
            </PktButton>
          </div>
        </form>
      )}
      {enabled === null && <p aria-live="polite">Laster …</p>}
    </div>
  );
}
