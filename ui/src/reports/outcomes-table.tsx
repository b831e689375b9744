import type { OutcomeReport } from '../../../schemas/reports';
import { formatDays } from './report-texts';
import { ScrollRegion } from './scroll-region';

type OutcomeFigures = OutcomeReport['total'];

const spread = (median: number | null, p25: number | null, p75: number | null) =>
  median === null ? '–' : `${formatDays(median)} (${formatDays(p25)}–${formatDays(p75)})`;

/** How long stays last and residents wait for housing: medians with the middle half of the stays in brackets. */
export function OutcomesTable(props: { report: OutcomeReport; keyHeader: string; name(key: string): string }) {
  const cells = (f: OutcomeFigures) => (
    <>
      <td className="num">{f.stays}</td>
      <td className="num">{f.ended}</td>
      <td className="num">{spread(f.lengthOfStayDaysMedian, f.lengthOfStayDaysP25, f.lengthOfStayDaysP75)}</td>
      <td className="num">{f.housingOffered}</td>
      <td className="num">{spread(f.daysToHousingOfferMedian, f.daysToHousingOfferP25, f.daysToHousingOfferP75)}</td>
      <td className="num">{spread(f.daysOfferToMoveInMedian, f.daysOfferToMoveInP25, f.daysOfferToMoveInP75)}</td>
      <td className="num">{f.readmissionsWithin12Months}</td>
    </>
  );
  const caption = 'Liggetid, ventetid på bolig og reinnleggelser for opphold innskrevet i perioden';
  return (
    <ScrollRegion label={caption}>
      <table className="pkt-table pkt-table--zebra-blue report-table report-table--totals" data-testid="outcomes">
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{props.keyHeader}</th>
            <th scope="col" className="num">
              Innskrevet
            </th>
            <th scope="col" className="num">
              Avsluttet
            </th>
            <th scope="col" className="num">
              Liggetid, dager: median (midterste halvdel)
            </th>
            <th scope="col" className="num">
              Fått tilbud om bolig
            </th>
            <th scope="col" className="num">
              Dager fra innskriving til boligtilbud
            </th>
            <th scope="col" className="num">
              Dager fra boligtilbud til innflytting
            </th>
            <th scope="col" className="num">
              Reinnlagt innen 12 måneder
            </th>
          </tr>
        </thead>
        <tbody>
          {props.report.rows.map((r) => (
            <tr key={r.key} data-key={r.key}>
              <th scope="row">{props.name(r.key)}</th>
              {cells(r)}
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr data-key="total">
            <th scope="row">Totalt</th>
            {cells(props.report.total)}
          </tr>
        </tfoot>
      </table>
    </ScrollRegion>
  );
}
