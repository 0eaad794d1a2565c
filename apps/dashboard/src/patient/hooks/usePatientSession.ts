import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import type { SessionEvent, SessionSummary } from '@vigil/contracts';
import { useSessionEvents } from '../../realtime/useSessionEvents';
import { watchClockSteps } from '../../clock/clock-steps';
import { serverNow } from '../../clock/server-clock';
import { api } from '../../shared/api';
import { rememberCareTeamPhone } from '../../shared/care-team-phone';
import { pickTodaysSession } from '../session-phase';

const STATES = 'scheduled,screening,ready,dosed,monitoring,recovery,ended,aborted';
const cacheKey = (userId: string) => `vigil.patient.session.${userId}`;

function cached(userId: string): SessionSummary | null | undefined {
  try {
    const raw = localStorage.getItem(cacheKey(userId));
    return raw ? (JSON.parse(raw) as SessionSummary | null) : undefined;
  } catch {
    return undefined;
  }
}

export interface PatientSession {
  session: SessionSummary | null;
  events: SessionEvent[];
  loading: boolean;
  /** The last load failed: the screen shows the copy kept on the phone. */
  stale: boolean;
}

/**
 * Today's session and its event log. The last answer is kept on the phone so a patient who
 * reopens the app on a bad network still sees their session rather than a spinner.
 */
export function usePatientSession(userId: string): PatientSession {
  const queryClient = useQueryClient();
  const query = useQuery({
    queryKey: ['patient', 'session', userId],
    queryFn: async () => {
      const list = await api<SessionSummary[]>('GET', `/api/sessions?state=${STATES}`);
      // Judged by the server's clock (this answer's Date header is in it already): its times are
      // the server's, and by a phone's date a day behind yesterday's ended session was today's.
      const session = pickTodaysSession(list, serverNow());
      localStorage.setItem(cacheKey(userId), JSON.stringify(session));
      rememberCareTeamPhone(session?.careTeamPhone);
      return session;
    },
    initialData: () => cached(userId),
    initialDataUpdatedAt: 0,
    refetchInterval: 30_000,
    retry: 3,
  });
  const session = query.data ?? null;
  const events = useSessionEvents(session?.id);

  // The phone's clock set while the app is open moves every server time it judges (the rest's
  // countdown, the next check-in, the dose time it sends) by the step until an API answer brings
  // the server's time again: ask now, not at the next refetch up to 30 s later.
  useEffect(
    () =>
      watchClockSteps(
        () => void queryClient.invalidateQueries({ queryKey: ['patient', 'session', userId] }),
      ),
    [queryClient, userId],
  );

  // A state change (dose, override, sign-off) brings new dosedAt/endedAt: refetch the summary.
  const lastChange = events.findLast((e) => e.type === 'session.state_changed')?.seq;
  useEffect(() => {
    if (lastChange !== undefined) {
      void queryClient.invalidateQueries({ queryKey: ['patient', 'session', userId] });
    }
  }, [lastChange, queryClient, userId]);

  return {
    session,
    events,
    loading: query.data === undefined && query.isFetching,
    stale: query.isError,
  };
}
