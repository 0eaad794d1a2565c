import { useEffect, useState } from 'react';
import type { SessionEvent, SessionEventsResponse } from '@vigil/contracts';
import { live } from '../../realtime/live-connection';
import { api } from '../../shared/api';
import { applyProvenance, emptyProvenance, type Provenance } from './device-provenance';
import { receivedEvents } from '../../realtime/received-events';

/** How far back the panel looks when it opens: enough for the latest reading of every kind. */
const BACKFILL = 600;

/**
 * Reading provenance for one session: the recent log read once over REST, then live events from
 * the one socket module (the workspace already watches this session; this adds a listener).
 * Live events that arrive before the backfill are held and folded in after it (by seq).
 */
export function useDeviceProvenance(sessionId: string, headSeq: number): Provenance {
  const [state, setState] = useState<Provenance>(emptyProvenance);
  const [seedSeq] = useState(headSeq);
  useEffect(() => {
    let cancelled = false;
    let backfilled = false;
    const held: SessionEvent[] = [];
    setState(emptyProvenance());
    const off = live.watch(sessionId, (events) => {
      if (cancelled) return;
      if (!backfilled) held.push(...events);
      else setState((prev) => applyProvenance(prev, events));
    });
    const after = Math.max(0, seedSeq - BACKFILL);
    void api<SessionEventsResponse>(
      'GET',
      `/api/sessions/${sessionId}/events?after=${after}&limit=1000`,
    )
      .then((page) => receivedEvents(page.events))
      .catch(() => [] as SessionEvent[])
      .then((events) => {
        if (cancelled) return;
        backfilled = true;
        const sorted = [...held].sort((a, b) => a.seq - b.seq);
        setState(applyProvenance(applyProvenance(emptyProvenance(), events), sorted));
      });
    return () => {
      cancelled = true;
      off();
    };
  }, [sessionId, seedSeq]);
  return state;
}
