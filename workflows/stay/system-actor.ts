import type { Actor } from './types';

/** The workflow itself, for what happens on its own (timers, the end of the stay, upgraded records). */
export const SYSTEM: Actor = { sub: null, role: 'system', org: null };
