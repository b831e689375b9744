import type { ReactNode } from 'react';

/**
 * A wide table that scrolls sideways on a narrow screen. Keyboard users must be able to scroll it too, so the
 * region takes focus and is named (WCAG 2.1.1; axe scrollable-region-focusable).
 */
export function ScrollRegion(props: { label: string; children: ReactNode }) {
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard to scroll
    // biome-ignore lint/a11y/useSemanticElements: a named region around a table, not a page section
    <div className="table-scroll" role="region" aria-label={props.label} tabIndex={0}>
      {props.children}
    </div>
  );
}
