import { type ReactNode, useId, useSyncExternalStore } from 'react';
import { milestoneSection, milestoneTitle } from '../texts';
import { type Figures, formatShare, monthName } from './report-texts';
import { ScrollRegion } from './scroll-region';

/** The reference line of the charts: the share pakkeforløp monitoring asks of standard times (≥ 70 %). */
export const REFERENCE_SHARE = 0.7;

type Row = Figures & { key: string };

/**
 * A chart as an image with its own short description, and the full figures as a table right under it
 * ("Vis tallene som tabell"): screen readers and keyboard users get every number, nobody depends on colour.
 * On a narrow screen the chart keeps a readable size and scrolls sideways in its own box, not the page; `openAtEnd` as
 * in ScrollRegion.
 */
function Figure(props: { title: string; chart: ReactNode; table: ReactNode; id: string; openAtEnd?: string }) {
  return (
    <figure className="report-figure" aria-labelledby={`${props.id}-caption`}>
      <figcaption id={`${props.id}-caption`} className="report-figure__caption">
        {props.title}
      </figcaption>
      <ScrollRegion label={props.title} openAtEnd={props.openAtEnd}>
        {props.chart}
      </ScrollRegion>
      <details className="report-figure__table">
        <summary>Vis tallene som tabell</summary>
        {props.table}
      </details>
    </figure>
  );
}

const summaryOf = (rows: Row[], name: (key: string) => string): string => {
  const decided = rows.filter((r) => r.onTimeShare !== null);
  if (decided.length === 0) return 'Ingen frister ble avgjort i perioden.';
  const best = decided.reduce((a, b) => ((b.onTimeShare ?? 0) > (a.onTimeShare ?? 0) ? b : a));
  const worst = decided.reduce((a, b) => ((b.onTimeShare ?? 1) < (a.onTimeShare ?? 1) ? b : a));
  return `Høyest andel i tide: ${name(best.key)} (${formatShare(best.onTimeShare)}). Lavest: ${name(worst.key)} (${formatShare(worst.onTimeShare)}).`;
};

const WIDTH = 800;
const LABEL = 370;
const BAR = 300;
const ROW = 30;
const TOP = 28;

/**
 * A phone's width or a little more: the chart's wide drawing (labels left of the bars) would need to scroll, and would
 * open on its labels with the bars out of sight. The same breakpoint as the chart's min-width (45rem) plus the page's margins.
 */
const NARROW_SCREEN = '(max-width: 48rem)';
const narrowScreen = () => window.matchMedia(NARROW_SCREEN).matches;
function onScreenWidth(changed: () => void) {
  const query = window.matchMedia(NARROW_SCREEN);
  query.addEventListener('change', changed);
  return () => query.removeEventListener('change', changed);
}

/** The stacked drawing for a narrow screen: each milestone's label on its own line, its bar under it, full width. */
const NARROW_WIDTH = 380;
const NARROW_BAR = 250;
const NARROW_ROW = 50;

/**
 * On-time share per milestone as horizontal bars, with § beside each milestone and a 70 % reference line. On a
 * phone each label stands over its bar, so that the chart fits the screen and labels and bars are read together.
 */
export function ShareByMilestoneChart(props: { rows: Row[]; table: ReactNode }) {
  const id = useId();
  const narrow = useSyncExternalStore(onScreenWidth, narrowScreen);
  const label = (key: string) => `${milestoneTitle(key)} (${milestoneSection(key)})`;
  const summary = summaryOf(props.rows, label);
  const geometry = narrow
    ? { width: NARROW_WIDTH, left: 0, bar: NARROW_BAR, row: NARROW_ROW, barTop: 24 }
    : { width: WIDTH, left: LABEL, bar: BAR, row: ROW, barTop: 6 };
  const height = TOP + props.rows.length * geometry.row + 8;
  const x = (share: number) => geometry.left + share * geometry.bar;
  const barHeight = ROW - 10;
  // stacked, the figures stand in a column of their own right of the 100 % line, clear of the grid
  const figureX = x(1) + 8;
  // the grid and the reference line cross the bars only: in the stacked drawing they would strike through the labels
  const vertical = (share: number, className: string) =>
    narrow ? (
      props.rows.map((r, i) => {
        const y = TOP + i * geometry.row + geometry.barTop;
        return <line key={r.key} className={className} x1={x(share)} x2={x(share)} y1={y - 2} y2={y + barHeight + 2} />;
      })
    ) : (
      <line className={className} x1={x(share)} x2={x(share)} y1={TOP - 6} y2={height - 4} />
    );
  return (
    <Figure
      id={id}
      title="Andel frister holdt i tide, per milepæl"
      table={props.table}
      chart={
        <svg
          className={narrow ? 'report-chart report-chart--narrow' : 'report-chart'}
          viewBox={`0 0 ${geometry.width} ${height}`}
          role="img"
          aria-labelledby={`${id}-title ${id}-desc`}
          focusable="false"
          data-chart="share-by-milestone"
          data-layout={narrow ? 'stacked' : 'wide'}
        >
          <title id={`${id}-title`}>Andel frister holdt i tide, per milepæl</title>
          <desc id={`${id}-desc`}>{summary}</desc>
          {[0, 0.5, 1].map((t) => (
            <g key={t}>
              {vertical(t, 'report-chart__grid')}
              <text
                className="report-chart__axis"
                x={x(t)}
                y={TOP - 12}
                textAnchor={narrow && t === 0 ? 'start' : 'middle'}
              >
                {formatShare(t)}
              </text>
            </g>
          ))}
          {vertical(REFERENCE_SHARE, 'report-chart__reference')}
          <text className="report-chart__axis" x={x(REFERENCE_SHARE)} y={TOP - 12} textAnchor="middle">
            70 %
          </text>
          {props.rows.map((r, i) => {
            const y = TOP + i * geometry.row;
            const barY = y + geometry.barTop;
            return (
              <g key={r.key} data-milestone={r.key} data-share={r.onTimeShare ?? ''}>
                <text
                  className="report-chart__label"
                  x={narrow ? 0 : LABEL - 10}
                  y={narrow ? y + 16 : y + 19}
                  textAnchor={narrow ? 'start' : 'end'}
                >
                  {milestoneTitle(r.key)} <tspan className="report-chart__section">{milestoneSection(r.key)}</tspan>
                </text>
                {r.onTimeShare === null ? (
                  <text className="report-chart__none" x={narrow ? figureX : x(0) + 4} y={barY + 13}>
                    {r.due === 0 ? 'ingen frister' : 'ingen avgjort ennå'}
                  </text>
                ) : (
                  <>
                    <rect
                      className={r.onTimeShare >= REFERENCE_SHARE ? 'report-chart__bar' : 'report-chart__bar--low'}
                      x={x(0)}
                      y={barY}
                      width={Math.max(1, r.onTimeShare * geometry.bar)}
                      height={barHeight}
                    />
                    <text className="report-chart__value" x={narrow ? figureX : x(r.onTimeShare) + 6} y={barY + 13}>
                      {formatShare(r.onTimeShare)} ({r.onTime} av {r.onTime + r.late})
                    </text>
                  </>
                )}
              </g>
            );
          })}
        </svg>
      }
    />
  );
}

const TREND_HEIGHT = 260;
const LEFT = 56;
const RIGHT = 16;
const BOTTOM = 40;

/**
 * The on-time share month by month, as a line; months without a decided deadline leave a gap. On a phone, where it
 * scrolls in its box, it opens at the latest months: those a leader looks at first.
 */
export function TrendChart(props: { rows: Row[]; table: ReactNode }) {
  const id = useId();
  const n = props.rows.length;
  const plotW = WIDTH - LEFT - RIGHT;
  const plotH = TREND_HEIGHT - TOP - BOTTOM;
  const x = (i: number) => LEFT + (n <= 1 ? plotW / 2 : (i * plotW) / (n - 1));
  const y = (share: number) => TOP + (1 - share) * plotH;
  const segments: { i: number; share: number }[][] = [];
  let current: { i: number; share: number }[] = [];
  props.rows.forEach((r, i) => {
    if (r.onTimeShare === null) {
      if (current.length) segments.push(current);
      current = [];
    } else current.push({ i, share: r.onTimeShare });
  });
  if (current.length) segments.push(current);
  // at most six month labels: "mars 2025" needs the room
  const every = Math.max(1, Math.ceil(n / 6));
  const summary = summaryOf(props.rows, (k) => monthName(k));
  return (
    <Figure
      id={id}
      title="Andel frister holdt i tide, måned for måned"
      table={props.table}
      openAtEnd={props.rows.map((r) => r.key).join(' ')}
      chart={
        <svg
          className="report-chart"
          viewBox={`0 0 ${WIDTH} ${TREND_HEIGHT}`}
          role="img"
          aria-labelledby={`${id}-title ${id}-desc`}
          focusable="false"
          data-chart="trend"
        >
          <title id={`${id}-title`}>Andel frister holdt i tide, måned for måned</title>
          <desc id={`${id}-desc`}>{summary}</desc>
          {[0, 0.25, 0.5, 0.75, 1].map((t) => (
            <g key={t}>
              <line className="report-chart__grid" x1={LEFT} x2={WIDTH - RIGHT} y1={y(t)} y2={y(t)} />
              <text className="report-chart__axis" x={LEFT - 8} y={y(t) + 4} textAnchor="end">
                {formatShare(t)}
              </text>
            </g>
          ))}
          <line
            className="report-chart__reference"
            x1={LEFT}
            x2={WIDTH - RIGHT}
            y1={y(REFERENCE_SHARE)}
            y2={y(REFERENCE_SHARE)}
          />
          {segments.map((s) => (
            <polyline
              key={s[0]!.i}
              className="report-chart__line"
              points={s.map((p) => `${x(p.i)},${y(p.share)}`).join(' ')}
            />
          ))}
          {props.rows.map((r, i) => (
            <g key={r.key} data-month={r.key} data-share={r.onTimeShare ?? ''}>
              {r.onTimeShare !== null && (
                <circle className="report-chart__point" cx={x(i)} cy={y(r.onTimeShare)} r={4} />
              )}
              {i % every === 0 && (
                <text className="report-chart__axis" x={x(i)} y={TREND_HEIGHT - BOTTOM + 18} textAnchor="middle">
                  {monthName(r.key, 'short')}
                </text>
              )}
            </g>
          ))}
        </svg>
      }
    />
  );
}
