/**
 * The Fellesskriv's words: "utflyttingsmøte" and "utflyttingsplan" (§3.1, §3.2), never "utskrivningsmøte/-plan" —
 * discharge (utskriving) is an event of its own, not the meeting or the plan.
 */
export const WRONG_TERMS = /utskrivn?ings?-?\s?(plan|møte)/i;
