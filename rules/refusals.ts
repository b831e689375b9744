import { MILESTONE_KEYS } from './types';

/**
 * Why a command on a stay is refused. The code travels as the Temporal failure type from an Update validator
 * to the API (which maps it to an HTTP status); the message is written for the person who must fix the input.
 */
export const REFUSAL_CODES = [
  'unknown-milestone',
  'already-done',
  'not-open',
  'stay-closed',
  'date-before-admission',
  'date-in-future',
  'date-too-early',
  'date-before-prerequisite',
  'prerequisite-missing',
  'not-permitted',
  'nothing-to-correct',
  'correction-breaks-rules',
  'no-change',
  'not-in-good-time',
  'settled-by-event',
  'nothing-to-confirm',
] as const;

export type RefusalCode = (typeof REFUSAL_CODES)[number];

export type Refusal = { code: RefusalCode; message: string };

export const refusal = (code: RefusalCode, message: string): Refusal => ({ code, message });

export const unknownMilestone = (key: string): Refusal =>
  refusal('unknown-milestone', `There is no milestone "${key}". Known milestones: ${MILESTONE_KEYS.join(', ')}.`);

export const isRefusalCode = (value: unknown): value is RefusalCode =>
  typeof value === 'string' && (REFUSAL_CODES as readonly string[]).includes(value);
