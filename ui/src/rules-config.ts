// The running rule configuration (GET /api/config/rules): the interpretations new stays are registered with. The
// preview and the texts count with these, never with defaults compiled into the web app.
import { useEffect, useState } from 'react';
import type { RulesConfig } from '../../schemas/config';
import { api } from './api';

export type { RulesConfig };
export type Interpretations = RulesConfig['interpretations'];

let loaded: Promise<RulesConfig> | null = null;

/** The configuration, fetched once per page load (it changes only when the API restarts); null until it is there. */
export function useRulesConfig(): { config: RulesConfig | null; failed: boolean } {
  const [config, setConfig] = useState<RulesConfig | null>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    let live = true;
    loaded ??= api<RulesConfig>('/api/config/rules');
    loaded
      .then((c) => live && setConfig(c))
      .catch(() => {
        loaded = null;
        if (live) setFailed(true);
      });
    return () => {
      live = false;
    };
  }, []);
  return { config, failed };
}
