import { useRef } from 'react';

/**
 * Stable React keys for the rows of an editable list. Removing a row takes its key with it, so the rows after it
 * keep their own keys (and with them their inputs' state and focus) instead of shifting onto a neighbour's.
 * Call `remove(index)` together with removing the row from the list.
 */
export function useRowKeys(length: number): { keys: readonly number[]; remove: (index: number) => void } {
  const rows = useRef({ next: 0, keys: [] as number[] }).current;
  while (rows.keys.length < length) rows.keys.push(rows.next++);
  if (rows.keys.length > length) rows.keys.length = length;
  return {
    keys: rows.keys,
    remove: (index) => {
      rows.keys.splice(index, 1);
    },
  };
}
