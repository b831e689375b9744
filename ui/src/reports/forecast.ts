import { useEffect, useState } from 'react';
import type { Forecast } from '../../../schemas/reports';
import { api } from '../api';

export type ForecastItem = Forecast['items'][number];

/**
 * The caller's deadlines of the next 14 days that may be missed ("kan bli forsinket"): per stay, the milestones its
 * responsible organisation is usually late with (GET /api/reports/forecast). Empty while loading or if it fails: a
 * forecast is a hint, never a reason to hold the page back: `enabled` lets a page ask once its own content is there.
 */
export function useLikelyLate(enabled = true): Map<string, ForecastItem[]> {
  const [byStay, setByStay] = useState(new Map<string, ForecastItem[]>());
  useEffect(() => {
    if (!enabled) return;
    const controller = new AbortController();
    api<Forecast>('/api/reports/forecast', { signal: controller.signal })
      .then((f) => {
        const next = new Map<string, ForecastItem[]>();
        for (const item of f.items.filter((i) => i.risk === 'likely-late'))
          next.set(item.stayId, [...(next.get(item.stayId) ?? []), item]);
        setByStay(next);
      })
      .catch(() => {});
    return () => controller.abort();
  }, [enabled]);
  return byStay;
}
