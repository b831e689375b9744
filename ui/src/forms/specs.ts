// Form fields from a zod object schema (the API's own body schema): pure, so it is unit-tested in node.
import { z } from 'zod';
import { completionBodySchema, isoDate } from '../../../rules/milestone-details';
import { isMilestoneKey } from '../../../rules/types';
import type { FieldKind } from '../errors';
import { formatDate, parseDateInput, todayInOslo } from '../format';

export type Spec = {
  name: string;
  kind: FieldKind;
  optional: boolean;
  options?: readonly string[];
  item?: Spec[];
  /** Bounds of a number field. */
  min?: number;
  max?: number;
  unsupported?: boolean;
};

function specOf(name: string, schema: z.ZodType): Spec {
  let s: z.ZodType = schema;
  let optional = false;
  while (s instanceof z.ZodOptional || s instanceof z.ZodNullable) {
    optional = true;
    s = s.unwrap() as z.ZodType;
  }
  if (s instanceof z.ZodObject) return { name, kind: 'text', optional, unsupported: true };
  if (s instanceof z.ZodNumber) {
    const bound = (v: number | null) => (v !== null && Number.isFinite(v) ? v : undefined);
    return { name, kind: 'number', optional, min: bound(s.minValue), max: bound(s.maxValue) };
  }
  if (s === isoDate || (s instanceof z.ZodString && /(At|Date)$/.test(name))) return { name, kind: 'date', optional };
  if (s instanceof z.ZodBoolean) return { name, kind: 'boolean', optional };
  if (s instanceof z.ZodLiteral) return { name, kind: 'confirm', optional };
  if (s instanceof z.ZodEnum) return { name, kind: 'choice', optional, options: s.options as string[] };
  if (s instanceof z.ZodArray && s.element instanceof z.ZodObject) {
    return { name, kind: 'list', optional, item: specsOf(s.element as z.ZodObject) };
  }
  return { name, kind: 'text', optional };
}

/** The fields a form can show; a nested object is left to its own form. */
export const specsOf = (schema: z.ZodObject): Spec[] =>
  Object.entries(schema.shape)
    .map(([name, field]) => specOf(name, field as z.ZodType))
    .filter((s) => !s.unsupported);

export type Values = Record<string, unknown>;

export function initialValues(specs: Spec[]): Values {
  const values: Values = {};
  for (const s of specs) {
    if (s.kind === 'date') values[s.name] = s.name === 'doneAt' ? formatDate(todayInOslo()) : '';
    else if (s.kind === 'confirm') values[s.name] = false;
    else if (s.kind === 'list') values[s.name] = [];
    else values[s.name] = '';
  }
  return values;
}

/** What the form holds → the request body; unanswered optional fields are left out, as the API expects. */
export function toBody(specs: Spec[], values: Values): Values {
  const body: Values = {};
  for (const s of specs) {
    const v = values[s.name];
    if (s.kind === 'date') {
      if (v !== '') body[s.name] = parseDateInput(String(v));
    } else if (s.kind === 'boolean') {
      if (v === 'ja') body[s.name] = true;
      else if (v === 'nei') body[s.name] = false;
    } else if (s.kind === 'confirm') {
      if (v === true) body[s.name] = true;
    } else if (s.kind === 'list') {
      body[s.name] = (v as Values[]).map((item) => toBody(s.item!, item));
    } else if (s.kind === 'number') {
      // a whole number as a number; anything else as typed, so the API's refusal lands next to the field
      const text = String(v ?? '').trim();
      if (text !== '') body[s.name] = /^-?\d+$/.test(text) ? Number(text) : text;
    } else if (v !== '') body[s.name] = v;
  }
  return body;
}

export function kindFinder(specs: Spec[]): (path: string) => FieldKind | undefined {
  const kinds = new Map<string, FieldKind>();
  for (const s of specs) {
    kinds.set(s.name, s.kind);
    for (const i of s.item ?? []) kinds.set(`${s.name}.*.${i.name}`, i.kind);
  }
  return (path) => kinds.get(path);
}

/** The completion form of a milestone: the API's completion body schema, `doneAt` first. */
export function completionSpecs(key: string): Spec[] | null {
  if (!isMilestoneKey(key)) return null;
  const specs = specsOf(completionBodySchema(key));
  // doneAt first: it is the one thing every completion has.
  return [...specs.filter((s) => s.name === 'doneAt'), ...specs.filter((s) => s.name !== 'doneAt')];
}
