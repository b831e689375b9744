import type { ReactNode } from 'react';
import { Link } from 'react-router-dom';
import { type Count, COUNT_LABEL, type Figures, formatDays, formatShare } from './report-texts';
import { ScrollRegion } from './scroll-region';

const COUNTS: Count[] = ['due', 'onTime', 'late', 'open', 'notApplicable', 'deviated'];

/**
 * The compliance figures as a table: one row per key and the total, every count a link to the deadlines behind it
 * (the drill-down, `linkTo(key, count)`; the total row has no key).
 */
export function FiguresTable(props: {
  caption: string;
  keyHeader: string;
  rows: (Figures & { key: string })[];
  total: Figures;
  rowHeader(key: string): ReactNode;
  linkTo(key: string | undefined, count: Count): string;
}) {
  const cells = (f: Figures, key: string | undefined) => (
    <>
      {COUNTS.map((c) => (
        <td key={c} className="num">
          {f[c] > 0 ? (
            <Link to={props.linkTo(key, c)} className="pkt-link" data-count={c}>
              {f[c]}
            </Link>
          ) : (
            f[c]
          )}
        </td>
      ))}
      <td className="num">{formatShare(f.onTimeShare)}</td>
      <td className="num">{formatDays(f.daysLateMedian)}</td>
      <td className="num">{formatDays(f.daysLateP90)}</td>
    </>
  );
  return (
    <ScrollRegion label={props.caption}>
      <table className="pkt-table pkt-table--zebra-blue report-table report-table--totals">
        <caption>{props.caption}</caption>
        <thead>
          <tr>
            <th scope="col">{props.keyHeader}</th>
            {COUNTS.map((c) => (
              <th key={c} scope="col" className="num">
                {COUNT_LABEL[c]}
              </th>
            ))}
            <th scope="col" className="num">
              Andel i tide
            </th>
            <th scope="col" className="num">
              Dager for sent, median
            </th>
            <th scope="col" className="num">
              Dager for sent, 90-persentil
            </th>
          </tr>
        </thead>
        <tbody>
          {props.rows.map((r) => (
            <tr key={r.key} data-key={r.key}>
              <th scope="row">{props.rowHeader(r.key)}</th>
              {cells(r, r.key)}
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr data-key="total">
            <th scope="row">Totalt</th>
            {cells(props.total, undefined)}
          </tr>
        </tfoot>
      </table>
    </ScrollRegion>
  );
}
