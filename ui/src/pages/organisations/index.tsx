import { PktButton, PktSelect } from '@oslokommune/punkt-react';
import { useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { TextField } from '../../fields';
import { PageTitle } from '../../layout';
import { useOrganisations, type Organisation } from '../../organisations';
import { CalendarSettingsForm } from './calendar-settings';
import { FailedDeliveries } from './failed-deliveries';
import { SettingsForm } from './notification-settings';
import { OrganisationRegister } from './register';
import { UnreachedAlarms } from './unreached-alarms';

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
      <section aria-labelledby="varsling" className="stack">
        <h2 id="varsling" className="pkt-txt-22-medium">
          Varsling
        </h2>
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
              <PktButton type="submit" skin="secondary">
                Vis
              </PktButton>
            </form>
          </search>
        </div>
      </section>
      {orgId && <SettingsForm key={orgId} orgId={orgId} />}
      {orgId && <CalendarSettingsForm key={`kalender-${orgId}`} orgId={orgId} />}
      <UnreachedAlarms />
      <FailedDeliveries />
    </>
  );
}
