/**
 * Which session the phone opens on, when its clock is a day off (its date set by hand). Which is
 * "today's" is judged from server times (`scheduledFor`, `endedAt`), by the server's clock.
 */
import { act, renderHook } from '@testing-library/react';
import type { ReactNode } from 'react';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import type { SessionSummary } from '@vigil/contracts';
import { usePatientSession } from './hooks/usePatientSession';
import { SERVER_NOW } from './test-support/phone-clock';

jest.mock('../realtime/useSessionEvents', () => ({ useSessionEvents: () => [] }));

const HOUR = 3600_000;
const summary = (over: Partial<SessionSummary>): SessionSummary => ({
  overrides: [],
  id: 's1',
  patient: { id: 'p1', name: 'Pat One' },
  clinician: { id: 'c1', name: 'Dr C' },
  state: 'scheduled',
  protocol: { id: 'p', name: 'Vigil default (oral)', version: 1 },
  scheduledFor: null,
  dosedAt: null,
  endedAt: null,
  headSeq: 0,
  careTeamPhone: null,
  ...over,
});
// Yesterday's session, signed off 30 hours ago, and today's, in an hour.
const yesterday = summary({
  id: 'yesterday',
  state: 'ended',
  endedAt: new Date(SERVER_NOW - 30 * HOUR).toISOString(),
});
const today = summary({ id: 'today', scheduledFor: new Date(SERVER_NOW + HOUR).toISOString() });

const realFetch = globalThis.fetch;
afterEach(() => {
  globalThis.fetch = realFetch;
  jest.useRealTimers();
  localStorage.clear();
});

it("opens on today's session, not yesterday's end screen, on a phone whose date is a day behind", async () => {
  jest.useFakeTimers({ now: SERVER_NOW - 24 * HOUR });
  globalThis.fetch = jest.fn(() =>
    Promise.resolve({
      ok: true,
      status: 200,
      headers: new Headers({ date: new Date(SERVER_NOW).toUTCString() }),
      text: () => Promise.resolve(JSON.stringify([yesterday, today])),
    }),
  ) as unknown as typeof fetch;
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  const { result } = renderHook(() => usePatientSession('patient-1'), {
    wrapper: ({ children }: { children: ReactNode }) => (
      <QueryClientProvider client={client}>{children}</QueryClientProvider>
    ),
  });
  await act(() => jest.advanceTimersByTimeAsync(0));
  // By the phone's clock yesterday's session ended 6 hours ago ("your session is over, do not
  // drive") and today's is 25 hours away.
  expect(result.current.session?.id).toBe('today');
});
