import { PktAlert, PktButton, PktTag } from '@oslokommune/punkt-react';
import { useCallback, useEffect, useState } from 'react';
import { Link } from 'react-router-dom';
import { api } from '../../api';
import { problemToFormErrors } from '../../errors';
import { formatDate } from '../../format';
import type { Page } from '../../../../schemas/paging';
import type { Delivery } from '../../../../schemas/notifications';
import { orgName } from '../../organisations';
import { ESCALATION_KIND, milestoneTitle } from '../../texts';

export function FailedDeliveries() {
  const [items, setItems] = useState<Delivery[] | null>(null);
  const [error, setError] = useState<string>();
  const load = useCallback(
    () =>
      api<Page<Delivery>>('/api/notifications?status=failed&limit=50')
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
                <PktTag skin="red">Feilet</PktTag>{' '}
                {d.forecastDigestId
                  ? `Ukeoversikt over frister som kan bli forsinket (laget ${formatDate(d.dueDate)})`
                  : `${milestoneTitle(d.milestone)} (${ESCALATION_KIND[d.kind] ?? d.kind}, frist ${formatDate(d.dueDate)})`}{' '}
                til {d.channel === 'email' ? d.recipient : 'webhook'} · {orgName(d.orgId)} · {d.attempts} forsøk
              </p>
              <p>
                {d.stayId && (
                  <>
                    <Link to={`/opphold/${d.stayId}/historikk`} className="pkt-link">
                      Se oppholdet
                    </Link>{' '}
                  </>
                )}
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
