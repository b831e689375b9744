import { PktButton, PktTag } from '@oslokommune/punkt-react';
import { useCallback, useEffect, useState } from 'react';
import { Link } from 'react-router-dom';
import type { z } from 'zod';
import type { ConsentReminder, ConsentReminderList } from '../../../schemas/participation';
import { api } from '../api';
import { formatDate, todayInOslo } from '../format';
import { daysBetween } from '../../../rules/oslo-calendar';

/**
 * "The resident's consent runs out" (GET /api/consent-reminders): the institution's reminders to renew a consent,
 * one per consent and end date. They resolve themselves when the consent is renewed or withdrawn.
 */
export function ConsentReminders() {
  const [items, setItems] = useState<ConsentReminder[] | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const load = useCallback(
    (signal?: AbortSignal) =>
      api<z.infer<typeof ConsentReminderList>>('/api/consent-reminders?limit=200', { signal })
        .then((page) => setItems(page.items))
        .catch(() => setItems([])),
    [],
  );
  useEffect(() => {
    const controller = new AbortController();
    void load(controller.signal);
    return () => controller.abort();
  }, [load]);
  if (!items || items.length === 0) return null;
  const today = todayInOslo();
  return (
    <section aria-labelledby="samtykke-utloper" className="block" data-testid="consent-reminders">
      <h2 id="samtykke-utloper" className="pkt-txt-22-medium">
        Samtykke som utløper ({items.length})
      </h2>
      <p>Forny samtykkeerklæringen med beboeren, eller registrer at den er trukket tilbake.</p>
      <ul className="inbox">
        {items.map((r) => {
          const left = daysBetween(today, r.validUntil);
          return (
            <li key={r.id} className="inbox__item kind-reminder" data-consent-reminder={r.stayId} data-state={r.state}>
              <div className="timeline__head">
                <h3 className="pkt-txt-18-medium">
                  <Link to={`/opphold/${r.stayId}`} className="pkt-link">
                    Samtykket for {r.residentRef}
                  </Link>
                </h3>
                <PktTag skin={r.state === 'open' ? 'blue' : 'gray'}>{r.state === 'open' ? 'Åpen' : 'Bekreftet'}</PktTag>
              </div>
              <p>
                Gyldig til og med {formatDate(r.validUntil)} ·{' '}
                {left < 0 ? `utløpt for ${-left} dager siden` : left === 0 ? 'siste dag i dag' : `${left} dager igjen`}
              </p>
              {r.state === 'open' && (
                <PktButton
                  type="button"
                  skin="secondary"
                  size="small"
                  disabled={busy === r.id}
                  onClick={async () => {
                    setBusy(r.id);
                    try {
                      await api(`/api/consent-reminders/${r.id}/acknowledge`, { method: 'POST', body: {} });
                      await load();
                    } finally {
                      setBusy(null);
                    }
                  }}
                >
                  Bekreft mottatt
                </PktButton>
              )}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
