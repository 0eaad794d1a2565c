import { useMemo, useRef } from 'react';
import type { AlertRecord, SessionModel } from '../../read-model/session-model';
import { compareAlerts, unresolvedAlerts } from './alert-logic';
import type { SessionAlert } from './useAnnunciation';

interface Previous {
  lists: Map<string, readonly AlertRecord[]>;
  alerts: SessionAlert[];
}

/**
 * Every watched session's unresolved alerts, most urgent first. The same array while no session's
 * alerts changed: at 200 sessions the models change on every frame of readings, alerts rarely, and
 * merging and sorting every session's alerts on each frame was the workspace's heaviest work.
 */
export function useSessionAlerts(models: ReadonlyMap<string, SessionModel>): SessionAlert[] {
  const previous = useRef<Previous | null>(null);
  return useMemo(() => {
    const lists = new Map([...models].map(([id, m]) => [id, unresolvedAlerts(m)] as const));
    const last = previous.current;
    if (
      last &&
      last.lists.size === lists.size &&
      [...lists].every(([id, list]) => last.lists.get(id) === list)
    ) {
      return last.alerts;
    }
    const alerts = [...lists]
      .flatMap(([sessionId, list]) => list.map((alert) => ({ sessionId, alert })))
      .sort((a, b) => compareAlerts(a.alert, b.alert));
    previous.current = { lists, alerts };
    return alerts;
  }, [models]);
}
