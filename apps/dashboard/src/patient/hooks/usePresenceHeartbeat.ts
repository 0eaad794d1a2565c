import { useEffect } from 'react';
import { live } from '../../realtime/live-connection';

const HEARTBEAT_MS = 15_000;

/**
 * The contract's presence.heartbeat every 15 s while a session is live: without it the care
 * team sees "device offline" after 60 s. Also sent straight after every reconnect.
 */
export function usePresenceHeartbeat(sessionId: string | undefined, active: boolean): void {
  useEffect(() => {
    if (!sessionId || !active) return;
    const beat = () => void live.heartbeat(sessionId);
    beat();
    const timer = setInterval(beat, HEARTBEAT_MS);
    const off = live.onReconnect(beat);
    return () => {
      clearInterval(timer);
      off();
    };
  }, [sessionId, active]);
}
