import { z } from 'zod';

/** The `limit` and `offset` of a list's query string; each list chooses its largest and its default page. */
export const pagingQuery = ({ max, defaultLimit }: { max: number; defaultLimit: number }) => ({
  limit: z.coerce.number().int().min(1).max(max).default(defaultLimit),
  offset: z.coerce.number().int().min(0).default(0),
});

/**
 * The `state` filter of an inbox-like list: states comma-separated (`open,acknowledged`). The document carries the
 * pattern, so every value it allows is one the list accepts.
 */
export const stateListQuery = (
  states: z.ZodEnum<{ open: 'open'; acknowledged: 'acknowledged'; resolved: 'resolved' }>,
) =>
  z
    .string()
    .regex(
      /^(open|acknowledged|resolved)(,(open|acknowledged|resolved))*$/,
      'open, acknowledged and/or resolved, comma-separated',
    )
    .default('open,acknowledged')
    .transform((v) => v.split(',').map((s) => s.trim()))
    .pipe(z.array(states).min(1))
    .meta({ description: 'comma-separated: open, acknowledged, resolved (default open,acknowledged)' });

/** One page of a list: its items, how many there are in all, and where the page starts. */
export const page = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), total: z.number(), limit: z.number(), offset: z.number() });

export type Page<T> = { items: T[]; total: number; limit: number; offset: number };
