import { PktIcon } from '@oslokommune/punkt-react';
import { Link } from 'react-router-dom';
import { KEEP_FOCUS } from './layout';

/**
 * The pages to offer around the current one, `'gap'` standing for the pages left out: the first and the last page,
 * the current one with a neighbour on each side, and near either end more pages instead of a gap, so that the row
 * always has the same number of places (seven) and nothing jumps under the pointer while paging.
 */
export function pageWindow(current: number, pages: number): (number | 'gap')[] {
  const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);
  if (pages <= 7) return range(1, pages);
  if (current <= 4) return [...range(1, 5), 'gap', pages];
  if (current >= pages - 3) return [1, 'gap', ...range(pages - 4, pages)];
  return [1, 'gap', current - 1, current, current + 1, 'gap', pages];
}

/**
 * Punkt's pagination (punkt.oslo.kommune.no, "Pagination"; not yet in our punkt-react): the current page a filled
 * circle, the others plain, chevrons for the previous and next page. Every page is a link to its address, so that the
 * back button, a reload and "open in new tab" all work, and Tab and Enter are all a keyboard needs.
 */
export function Pagination({
  page,
  pages,
  hrefFor,
  label,
  onNavigate,
}: {
  page: number;
  pages: number;
  hrefFor: (page: number) => string;
  /** What the pages are of, for the navigation's accessible name. */
  label: string;
  /** Called when a page link is followed (e.g. to move focus to the new page's content once it shows). */
  onNavigate?: () => void;
}) {
  if (pages <= 1) return null;
  const step = (to: number, rel: 'prev' | 'next') => {
    const text = rel === 'prev' ? 'Forrige side' : 'Neste side';
    const icon = <PktIcon name={rel === 'prev' ? 'chevron-thin-left' : 'chevron-thin-right'} aria-hidden="true" />;
    // at either end the place stays (the row does not move) but holds nothing to follow
    if (to < 1 || to > pages)
      return (
        <span className="pagination__step pagination__step--disabled" aria-hidden="true">
          {icon}
        </span>
      );
    return (
      <Link to={hrefFor(to)} state={KEEP_FOCUS} rel={rel} className="pagination__step" onClick={onNavigate}>
        {icon}
        <span className="pkt-sr-only">{text}</span>
      </Link>
    );
  };
  return (
    <nav aria-label={label} className="pagination no-print">
      <ul className="pagination__list">
        <li>{step(page - 1, 'prev')}</li>
        {pageWindow(page, pages).map((p, i) =>
          p === 'gap' ? (
            <li key={i < 3 ? 'gap-before' : 'gap-after'} className="pagination__gap" aria-hidden="true">
              …
            </li>
          ) : (
            <li key={p}>
              <Link
                to={hrefFor(p)}
                state={KEEP_FOCUS}
                className="pagination__page"
                aria-current={p === page ? 'page' : undefined}
                aria-label={`Side ${p}`}
                onClick={p === page ? undefined : onNavigate}
              >
                {p}
              </Link>
            </li>
          ),
        )}
        <li>{step(page + 1, 'next')}</li>
      </ul>
    </nav>
  );
}
