import { useQuery, useQueryClient, type UseQueryResult } from '@tanstack/react-query';
import { useEffect, useMemo, useRef } from 'react';
import type { SessionSummary } from '@vigil/contracts';
import { live } from '../../realtime/live-connection';
import { api } from '../../shared/api';

export const LIVE_SESSIONS_KEY = ['sessions', 'live'] as const;

/**
 * The live sessions this user supervises. Refetched on every socket reconnect (anything could
 * have changed meanwhile), when a board summary names a session we do not list or a state we do
 * not show, and every 15 s as a backstop.
 */
export function useLiveSessions(): UseQueryResult<SessionSummary[]> {
  const client = useQueryClient();
  const query = useQuery({
    queryKey: LIVE_SESSIONS_KEY,
    queryFn: () => api<SessionSummary[]>('GET', '/api/sessions?state=live'),
    refetchInterval: 15_000,
  });
  // Each session's listed state by id, for the board summaries: 200 sessions send about 200 a
  // second, and reading the cache (a query hash) and scanning the list for each showed in the
  // board's CPU profile.
  const states = useMemo(
    () => new Map((query.data ?? []).map((s) => [s.id, s.state] as const)),
    [query.data],
  );
  const listed = useRef(states);
  listed.current = states;
  useEffect(() => {
    const refetch = () => void client.invalidateQueries({ queryKey: LIVE_SESSIONS_KEY });
    const offReconnect = live.onReconnect(refetch);
    // A whole flush at once: one refetch however many of its sessions are new or changed state.
    const offBoard = live.onBoard((summaries) => {
      const stale = summaries.some((summary) => {
        const known = listed.current.get(summary.sessionId);
        return !known || (summary.state !== 'unknown' && known !== summary.state);
      });
      if (stale) refetch();
    });
    return () => {
      offReconnect();
      offBoard();
    };
  }, [client]);
  return query;
}
