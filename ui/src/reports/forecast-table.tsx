import { useEffect, useState } from 'react';
import { Link } from 'react-router-dom';
import type { Forecast } from '../../../schemas/reports';
import { api } from '../api';
import { formatDate } from '../format';
import { orgName } from '../organisations';
import { milestoneSection, milestoneTitle, PARTY } from '../texts';
import { formatShare } from './report-texts';
import { ScrollRegion } from './scroll-region';

const SHOWN = 50;

const RISK: Record<Forecast['items'][number]['risk'], string> = {
  'likely-late': 'Kan bli forsinket',
  usual: 'Vanligvis i tide',
  'no-history': 'Ingen historikk',
};

/** The deadlines of the next 14 days with nothing recorded, those most likely to be missed first. */
export function ForecastTable() {
  const [forecast, setForecast] = useState<Forecast | null>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    const controller = new AbortController();
    api<Forecast>('/api/reports/forecast', { signal: controller.signal })
      .then(setForecast)
      .catch((err) => {
        if ((err as Error).name !== 'AbortError') setFailed(true);
      });
    return () => controller.abort();
  }, []);
  if (failed) return <p>Kunne ikke hente prognosen.</p>;
  if (!forecast) return <p aria-live="polite">Henter prognosen …</p>;
  if (forecast.items.length === 0)
    return <p>Ingen åpne frister de neste 14 dagene ({formatDate(forecast.until)}) mangler registrering.</p>;
  const likely = forecast.items.filter((i) => i.risk === 'likely-late').length;
  const caption = `Frister til og med ${formatDate(forecast.until)} som ikke er registrert, mest utsatt først`;
  return (
    <>
      <p className="summary-line" data-testid="forecast-summary">
        {forecast.items.length} åpne frister de neste 14 dagene, {likely} kan bli forsinket.
        {forecast.items.length > SHOWN ? ` Viser de ${SHOWN} første.` : ''}
      </p>
      <ScrollRegion label={caption}>
        <table className="pkt-table pkt-table--zebra-blue report-table" data-testid="forecast">
          <caption>{caption}</caption>
          <thead>
            <tr>
              <th scope="col">Beboer</th>
              <th scope="col">Milepæl</th>
              <th scope="col">Frist</th>
              <th scope="col">Ansvarlig</th>
              <th scope="col" className="num">
                For sent siste 12 måneder
              </th>
              <th scope="col">Vurdering</th>
            </tr>
          </thead>
          <tbody>
            {forecast.items.slice(0, SHOWN).map((i) => (
              <tr key={`${i.stayId}-${i.milestone}`} data-stay={i.stayId} data-risk={i.risk}>
                <th scope="row">
                  <Link to={`/opphold/${i.stayId}`} className="pkt-link resident-ref">
                    {i.residentRef}
                  </Link>
                </th>
                <td>
                  {milestoneTitle(i.milestone)} <span className="section-ref">{milestoneSection(i.milestone)}</span>
                </td>
                <td>{formatDate(i.dueDate)}</td>
                <td>
                  {PARTY[i.responsible]} ({i.responsible === 'bydel' ? orgName(i.bydelId) : orgName(i.institutionId)}
                  {i.responsible === 'both' ? `, ${orgName(i.bydelId)}` : ''})
                </td>
                <td className="num">{i.lateShare === null ? '–' : `${formatShare(i.lateShare)} av ${i.decided}`}</td>
                <td>{RISK[i.risk]}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollRegion>
    </>
  );
}
