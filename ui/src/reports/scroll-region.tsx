import { type ReactNode, useLayoutEffect, useRef } from 'react';

/**
 * A wide table or chart that scrolls sideways on a narrow screen. Keyboard users must be able to scroll it too, so the
 * region takes focus and is named (WCAG 2.1.1; axe scrollable-region-focusable).
 *
 * `openAtEnd`: what the box shows (e.g. its months) when its end is what one reads first. The box then opens scrolled
 * to its end, and again when that changes (another period), but not when the page merely renders again, which would
 * take the reader away from where they scrolled. Where nothing scrolls (a wide screen) this does nothing.
 */
export function ScrollRegion(props: { label: string; children: ReactNode; openAtEnd?: string }) {
  const ref = useRef<HTMLDivElement>(null);
  const { openAtEnd } = props;
  useLayoutEffect(() => {
    // before the first paint: the box never shows its beginning first and then jumps
    if (openAtEnd !== undefined && ref.current) ref.current.scrollLeft = ref.current.scrollWidth;
  }, [openAtEnd]);
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard to scroll
    // biome-ignore lint/a11y/useSemanticElements: a named region around a table, not a page section
    <div ref={ref} className="table-scroll" role="region" aria-label={props.label} tabIndex={0}>
      {props.children}
    </div>
  );
}
