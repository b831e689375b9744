import { MILESTONE_KEYS } from './types';

/**
 * Why a command on a stay is refused. The code travels as the Temporal failure type from an Update validator
 * to the API, which maps it to an HTTP status; the message is written for the person who must fix the input.
 */
export const REFUSAL_STATUS = {
  'unknown-milestone': 404,
  'already-done': 409,
  'not-open': 409,
  'stay-closed': 409,
  'date-before-admission': 422,
  'date-in-future': 422,
  'date-before-prerequisite': 422,
  'prerequisite-missing': 422,
  'not-permitted': 403,
  'nothing-to-correct': 404,
  'correction-breaks-rules': 422,
  'no-change': 409,
  'not-in-good-time': 422,
  'settled-by-event': 409,
  'nothing-to-confirm': 409,
} as const;

export type RefusalCode = keyof typeof REFUSAL_STATUS;

export type Refusal = { code: RefusalCode; message: string };

export const refusal = (code: RefusalCode, message: string): Refusal => ({ code, message });

export const unknownMilestone = (key: string): Refusal =>
  refusal('unknown-milestone', `There is no milestone "${key}". Known milestones: ${MILESTONE_KEYS.join(', ')}.`);

export const isRefusalCode = (value: unknown): value is RefusalCode =>
  typeof value === 'string' && Object.hasOwn(REFUSAL_STATUS, value);
