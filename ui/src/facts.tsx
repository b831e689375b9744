import type { HTMLAttributes, ReactNode } from 'react';

/** One term of a `<dl className="facts">` and what it says; the wrapper takes test ids and data attributes. */
export function Fact({
  term,
  children,
  ...div
}: { term: ReactNode; children: ReactNode } & HTMLAttributes<HTMLDivElement>) {
  return (
    <div {...div}>
      <dt>{term}</dt>
      <dd>{children}</dd>
    </div>
  );
}
