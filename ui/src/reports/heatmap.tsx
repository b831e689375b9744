import { Link } from 'react-router-dom';
import type { ComplianceHeatmap } from '../../../schemas/reports';
import { orgName } from '../organisations';
import { milestoneSection, milestoneTitle } from '../texts';
import { formatShare } from './report-texts';
import { ScrollRegion } from './scroll-region';

/** Colour steps of a cell; the share is always written in the cell too, so nothing depends on colour alone. */
export function heatLevel(share: number | null): string {
  if (share === null) return 'none';
  if (share >= 0.9) return '4';
  if (share >= 0.7) return '3';
  if (share >= 0.5) return '2';
  return '1';
}

/** Institution (or bydel) × milestone: the on-time share of every cell, each a link to its deadlines. */
export function Heatmap(props: { map: ComplianceHeatmap; linkTo(org: string, milestone: string): string }) {
  const rowsBy = props.map.rowsBy === 'institution' ? 'Institusjon' : 'Bydel';
  const milestones = props.map.rows[0]?.milestones.map((m) => m.key) ?? [];
  if (props.map.rows.length === 0) return <p>Ingen frister i perioden.</p>;
  const caption = `Andel i tide per ${rowsBy.toLowerCase()} og milepæl`;
  return (
    <>
      <ScrollRegion label={caption}>
        <table className="pkt-table heatmap" data-testid="heatmap">
          <caption>{caption}</caption>
          <thead>
            <tr>
              <th scope="col">{rowsBy}</th>
              {milestones.map((m) => (
                <th key={m} scope="col" className="heatmap__milestone">
                  {milestoneTitle(m)} <span className="heatmap__section">{milestoneSection(m)}</span>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {props.map.rows.map((row) => (
              <tr key={row.key} data-org={row.key}>
                <th scope="row">{orgName(row.key)}</th>
                {row.milestones.map((cell) => (
                  <td
                    key={cell.key}
                    className={`heatmap__cell heat-${heatLevel(cell.onTimeShare)}`}
                    data-milestone={cell.key}
                  >
                    {cell.due > 0 ? (
                      <Link to={props.linkTo(row.key, cell.key)} className="heatmap__link">
                        {formatShare(cell.onTimeShare)}
                        <span className="heatmap__count">
                          {cell.onTime} av {cell.onTime + cell.late}
                        </span>
                      </Link>
                    ) : (
                      <span className="heatmap__empty">–</span>
                    )}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollRegion>
      <ul className="heatmap-legend" aria-label="Fargeforklaring">
        <li>
          <span className="heat-4 heatmap-legend__swatch" /> 90 % eller mer i tide
        </li>
        <li>
          <span className="heat-3 heatmap-legend__swatch" /> 70–89 %
        </li>
        <li>
          <span className="heat-2 heatmap-legend__swatch" /> 50–69 %
        </li>
        <li>
          <span className="heat-1 heatmap-legend__swatch" /> under 50 %
        </li>
        <li>
          <span className="heat-none heatmap-legend__swatch" /> ingen frister avgjort
        </li>
      </ul>
    </>
  );
}
