import { PktAlert, PktButton } from '@oslokommune/punkt-react';
import { useCallback, useEffect, useState } from 'react';
import type { CalendarFeed } from '../../schemas/calendar';
import { api } from './api';
import { problemToFormErrors } from './errors';
import { formatTimestamp } from './format';

const messageOf = (err: unknown) => problemToFormErrors(err, { kindOf: () => undefined }).form;

const KIND_LABEL = { user: 'Mine beboere', organisation: 'Hele organisasjonen' } as const;

/**
 * Calendar subscriptions: a secret address for a calendar client (Outlook, Google, iPhone), shown once, revocable.
 * Meetings and open deadlines of "mine beboere" or of the whole organisation; no resident reference in event titles
 * unless the organisation opted in.
 */
export function CalendarFeeds() {
  const [feeds, setFeeds] = useState<CalendarFeed[] | null>(null);
  const [created, setCreated] = useState<{ kind: CalendarFeed['kind']; url: string } | null>(null);
  const [error, setError] = useState<string>();
  const fail = (err: unknown) => setError(messageOf(err));
  const load = useCallback(
    () =>
      api<{ feeds: CalendarFeed[] }>('/api/calendar/feeds')
        .then((r) => setFeeds(r.feeds))
        .catch((err) => setError(messageOf(err))),
    [],
  );
  useEffect(() => {
    void load();
  }, [load]);

  const create = async (kind: CalendarFeed['kind']) => {
    setError(undefined);
    try {
      const feed = await api<CalendarFeed & { url: string }>('/api/calendar/feeds', { method: 'POST', body: { kind } });
      setCreated({ kind, url: feed.url });
      await load();
    } catch (err) {
      fail(err);
    }
  };
  const revoke = async (feed: CalendarFeed) => {
    setError(undefined);
    try {
      await api(`/api/calendar/feeds/${feed.id}`, { method: 'DELETE' });
      setCreated(null);
      await load();
    } catch (err) {
      fail(err);
    }
  };

  return (
    <section aria-labelledby="kalender" className="block" data-testid="calendar-feeds">
      <h2 id="kalender" className="pkt-txt-22-medium">
        Møter og frister i kalenderen din
      </h2>
      <p>
        Abonner på en kalender med møter og åpne frister. Adressen er hemmelig: den som har den, kan lese kalenderen til
        den trekkes tilbake. Beboerens referanse står bare i titlene hvis organisasjonen har valgt det.
      </p>
      {error && (
        <PktAlert skin="error" role="alert" compact>
          {error}
        </PktAlert>
      )}
      {created && (
        <PktAlert skin="success" role="status">
          <p>
            Ny kalenderadresse ({KIND_LABEL[created.kind].toLowerCase()}). Kopier den inn i kalenderprogrammet ditt nå:
            den vises bare denne ene gangen.
          </p>
          <p>
            <code className="feed-url">{created.url}</code>
          </p>
        </PktAlert>
      )}
      <div className="form-actions">
        <PktButton type="button" skin="secondary" size="small" onClick={() => create('user')}>
          Lag kalender for mine beboere
        </PktButton>
        <PktButton type="button" skin="tertiary" size="small" onClick={() => create('organisation')}>
          Lag kalender for hele organisasjonen
        </PktButton>
      </div>
      {feeds && feeds.length > 0 && (
        <ul className="feeds">
          {feeds.map((f) => (
            <li key={f.id}>
              {KIND_LABEL[f.kind]} · laget {formatTimestamp(f.createdAt)}
              {f.lastUsedAt ? ` · sist hentet ${formatTimestamp(f.lastUsedAt)}` : ' · ikke hentet ennå'}{' '}
              <PktButton type="button" skin="tertiary" size="small" onClick={() => revoke(f)}>
                Trekk tilbake
              </PktButton>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
