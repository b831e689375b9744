import { PktAlert, PktButton } from '@oslokommune/punkt-react';
import { useEffect, useRef, useState } from 'react';
import { api } from '../../api';
import { problemToFormErrors } from '../../errors';
import { formatTimestamp } from '../../format';
import type { OrganisationEvent, OrganisationHistory } from '../../../../schemas/organisations';
import type { Organisation } from '../../organisations';

const REGISTER_ACTION: Record<OrganisationEvent['action'], (d: Record<string, unknown>) => string> = {
  'organisation.created': (d) =>
    `lagt til som ${d.kind === 'bydel' ? 'bydel' : 'institusjon'} med navnet «${String(d.name)}»${d.demo ? ' (demodata)' : ''}`,
  'organisation.renamed': (d) => `navnet endret fra «${String(d.from)}» til «${String(d.to)}»`,
  'organisation.deactivated': () => 'deaktivert',
  'organisation.reactivated': () => 'aktivert igjen',
  'organisation.calendar-settings-changed': (d) =>
    (d.residentRefInTitles as { to?: boolean } | undefined)?.to
      ? 'kalendertitlene viser nå beboerens referanse'
      : 'kalendertitlene viser ikke lenger beboerens referanse',
};

/** Who added, renamed, deactivated or reactivated an organisation, and when (GET /api/organisations/:id/history). */
export function RegisterHistory({ org, onClose }: { org: Organisation; onClose(): void }) {
  const [items, setItems] = useState<OrganisationEvent[] | null>(null);
  const [error, setError] = useState<string>();
  const headingRef = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    const controller = new AbortController();
    api<OrganisationHistory>(`/api/organisations/${encodeURIComponent(org.id)}/history`, {
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
