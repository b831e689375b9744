import { PktAlert, PktTag } from '@oslokommune/punkt-react';
import { useEffect, useState } from 'react';
import { Link } from 'react-router-dom';
import { api } from '../../api';
import { problemToFormErrors } from '../../errors';
import { formatTimestamp } from '../../format';
import type { UnreachedOrganisation } from '../../../../schemas/notifications';
import { orgName } from '../../organisations';

const alarms = (n: number) => (n === 1 ? '1 åpent varsel' : `${n} åpne varsler`);

/**
 * Admin: the organisations whose open alarms reached nobody by e-mail (no coordinators in their settings, nobody took
 * the deadline, no contact of the stay with an address), with a link to their settings. An alarm helps only when it
 * reaches a person; these are seen only in the inbox.
 */
export function UnreachedAlarms() {
  const [items, setItems] = useState<UnreachedOrganisation[] | null>(null);
  const [error, setError] = useState<string>();
  useEffect(() => {
    api<{ items: UnreachedOrganisation[] }>('/api/notifications/unreached')
      .then((r) => setItems(r.items))
      .catch((err) => setError(problemToFormErrors(err, { kindOf: () => undefined }).form));
  }, []);
  return (
    <section aria-labelledby="ikke-naadd" className="block">
      <h2 id="ikke-naadd" className="pkt-txt-22-medium">
        Varsler som ikke har nådd noen
      </h2>
      <p>
        Åpne varsler som ingen har fått på e-post: organisasjonen har ingen koordinatorer i varslingen, ingen har tatt
        saken, og ingen kontaktperson på oppholdet har e-postadresse. De vises bare i innboksen. Varsler som kommer
        etter at du har lagt til mottakere, når dem.
      </p>
      {error && <PktAlert skin="error">{error}</PktAlert>}
      {items && items.length === 0 && <p>Ingen. Alle åpne varsler har nådd noen på e-post.</p>}
      {items && items.length > 0 && (
        <ul className="inbox" aria-label="Organisasjoner med varsler som ikke har nådd noen">
          {items.map((o) => (
            <li key={o.orgId} className="inbox__item kind-overdue" data-org={o.orgId}>
              <p>
                <PktTag skin="red">Ingen mottakere</PktTag> <strong>{o.name ?? orgName(o.orgId)}</strong>:{' '}
                {alarms(o.openAlarms)} har ikke nådd noen på e-post (det eldste fra {formatTimestamp(o.oldestRaisedAt)})
                {o.hasWebhook ? '. Organisasjonens eget system får dem på webhook.' : '.'}
              </p>
              <p>
                <Link to={`?org=${encodeURIComponent(o.orgId)}`} className="pkt-link">
                  Legg til mottakere for {o.name ?? orgName(o.orgId)}
                </Link>
              </p>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
