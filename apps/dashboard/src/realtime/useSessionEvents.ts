import { useEffect, useState } from 'react';
import type { SessionEvent } from '@vigil/contracts';
import { live } from './live-connection';

/** Every event of a session, in seq order, kept current over the socket with resync by seq. */
export function useSessionEvents(sessionId: string | undefined): SessionEvent[] {
  const [events, setEvents] = useState<SessionEvent[]>([]);
  useEffect(() => {
    if (!sessionId) return;
    setEvents([]);
    return live.watch(sessionId, (incoming, reset) => {
      setEvents((prev) => {
        const base = reset ? [] : prev;
        const last = base.length > 0 ? base[base.length - 1].seq : 0;
        const fresh = incoming.filter((e) => e.seq > last);
        return fresh.length === 0 && !reset ? prev : [...base, ...fresh];
      });
    });
  }, [sessionId]);
  return events;
}
