import { PktAlert, PktCheckbox } from '@oslokommune/punkt-react';
import { type FormEvent, useEffect, useState } from 'react';
import type { CalendarSettings } from '../../../../schemas/calendar';
import { api } from '../../api';
import { problemToFormErrors } from '../../errors';
import { formatTimestamp } from '../../format';
import { FormActions } from '../../forms/form-actions';
import { orgName } from '../../organisations';

/**
 * Admin: whether the organisation's calendars (subscriptions and .ics downloads) name the resident's reference in
 * event titles. Off unless the organisation opts in; each change goes into the organisation's change log.
 */
export function CalendarSettingsForm({ orgId }: { orgId: string }) {
  const [loaded, setLoaded] = useState<CalendarSettings | null>(null);
  const [checked, setChecked] = useState(false);
  const [error, setError] = useState<string>();
  const [notice, setNotice] = useState<string>();
  const [busy, setBusy] = useState(false);
  const url = `/api/calendar/settings/${encodeURIComponent(orgId)}`;

  useEffect(() => {
    const controller = new AbortController();
    api<CalendarSettings>(url, { signal: controller.signal })
      .then((s) => {
        setLoaded(s);
        setChecked(s.residentRefInTitles);
      })
      .catch(
        (err) =>
          (err as Error).name !== 'AbortError' && setError(problemToFormErrors(err, { kindOf: () => undefined }).form),
      );
    return () => controller.abort();
  }, [url]);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setNotice(undefined);
    setError(undefined);
    try {
      const saved = await api<CalendarSettings>(url, { method: 'PUT', body: { residentRefInTitles: checked } });
      setLoaded(saved);
      setNotice(
        saved.residentRefInTitles
          ? 'Lagret: kalendertitlene viser beboerens referanse.'
          : 'Lagret: kalendertitlene viser ikke beboerens referanse.',
      );
    } catch (err) {
      setError(problemToFormErrors(err, { kindOf: () => undefined }).form);
    } finally {
      setBusy(false);
    }
  }

  if (!loaded) return error ? <PktAlert skin="error">{error}</PktAlert> : <p aria-live="polite">Laster …</p>;
  return (
    <form
      onSubmit={submit}
      noValidate
      className="completion-form stack block"
      aria-label={`Kalender for ${orgName(orgId)}`}
      data-testid="calendar-settings"
    >
      <h3 className="pkt-txt-18-medium">Kalender</h3>
      {notice && (
        <PktAlert skin="success" role="status">
          {notice}
        </PktAlert>
      )}
      {error && (
        <PktAlert skin="error" role="alert">
          {error}
        </PktAlert>
      )}
      <p className="muted" id="kalender-referanse-hjelp">
        Kalenderabonnementer og nedlastede kalenderfiler navngir organisasjonene. Beboerens referanse står bare i
        titlene når organisasjonen har valgt det: en kalender som synkroniseres til telefon eller e-posttjener, når
        lenger enn løsningen.
      </p>
      {loaded.updatedAt && (
        <p className="muted">
          Sist endret {formatTimestamp(loaded.updatedAt)}
          {loaded.updatedBy ? ` av ${loaded.updatedBy}` : ''}.
        </p>
      )}
      <PktCheckbox
        id="kalender-referanse"
        label="Vis beboerens referanse i titlene i kalenderne"
        checked={checked}
        aria-describedby="kalender-referanse-hjelp"
        onChange={(e) => setChecked(e.target.checked)}
      />
      <FormActions label="Lagre kalenderinnstilling" busy={busy} />
    </form>
  );
}
