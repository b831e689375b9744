import { z } from 'zod';

/** The `limit` and `offset` of a list's query string; each list chooses its largest and its default page. */
export const pagingQuery = ({ max, defaultLimit }: { max: number; defaultLimit: number }) => ({
  limit: z.coerce.number().int().min(1).max(max).default(defaultLimit),
  offset: z.coerce.number().int().min(0).default(0),
});

/** One page of a list: its items, how many there are in all, and where the page starts. */
export const page = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), total: z.number(), limit: z.number(), offset: z.number() });

export type Page<T> = { items: T[]; total: number; limit: number; offset: number };
