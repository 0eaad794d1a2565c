/**
 * The phone's clock set while the app is open (the network corrects it, or the patient does).
 * The phone keeps the server's clock as an offset from its own (server-clock.ts), so until an API
 * answer brings the server's time again every server time is judged off by the step.
 */
import { act, render, renderHook, screen } from '@testing-library/react';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { GateScreen } from './components/GateScreen';
import { useDuePrompt } from './hooks/useDuePrompt';
import { usePatientSession } from './hooks/usePatientSession';
import type { GateView } from './session-phase';
import { MIN, SERVER_NOW } from './test-support/phone-clock';

jest.mock('../realtime/useSessionEvents', () => ({ useSessionEvents: () => [] }));

/** How far the phone's clock is off the server's; the server's answers carry its own time. */
let skew = 0;
const realFetch = globalThis.fetch;
beforeEach(() => {
  globalThis.fetch = jest.fn(() =>
    Promise.resolve({
      ok: true,
      status: 200,
      headers: new Headers({ date: new Date(Date.now() - skew).toUTCString() }),
      text: () => Promise.resolve('[]'),
    }),
  ) as unknown as typeof fetch;
});
afterEach(() => {
  globalThis.fetch = realFetch;
  jest.useRealTimers();
});

const gate: GateView = {
  status: 'no_go',
  reasons: [{ code: 'bp_no_go', message: 'Blood pressure 172/96 is at or above 160/100.' }],
  hardStop: false,
  remeasureAfter: new Date(SERVER_NOW + 7 * MIN).toISOString(),
  clearanceRequired: true,
};

/** The phone: its session kept current (and the server's clock with it), the gate on screen. */
function Phone() {
  usePatientSession('patient-1');
  return <GateScreen gate={gate} onRetake={jest.fn()} onCautionAccepted={jest.fn()} />;
}

const wait = (ms: number) => act(() => jest.advanceTimersByTimeAsync(ms));

describe("the rest after a no-go when the phone's clock is set right while it counts down", () => {
  it('keeps "Measure again" closed: the server refuses a screening before the rest is over', async () => {
    // 10 min slow: the phone reads 09:50 while the server reads 10:00; the session list's answer
    // tells it so.
    skew = -10 * MIN;
    jest.useFakeTimers({ now: SERVER_NOW + skew });
    const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
    render(
      <QueryClientProvider client={client}>
        <Phone />
      </QueryClientProvider>,
    );
    await wait(1_000);
    expect(screen.getByRole('button', { name: 'Measure again in 6:59' })).toBeDisabled();

    // The network sets the phone's clock right.
    skew = 0;
    jest.setSystemTime(Date.now() + 10 * MIN);
    await wait(2_000);
    // Until the next refetch (30 s on), the phone read its correct clock plus the old 10 min:
    // the rest looked over, and a screening sent then is refused for good (the outbox's 409).
    expect(screen.getByRole('button', { name: /^Measure again in 6:5\d$/ })).toBeDisabled();
  });
});

describe('the check-in chime when the phone reads a time ahead for a moment', () => {
  it('chimes when the check-in is due, though it chimed while the clock was ahead', () => {
    // Until an answer brings the server's time again, a phone set forward reads that much ahead
    // (the screen's next tick comes before the answer): a check-in due in 5 min looked due.
    const vibrate = jest.fn();
    Object.defineProperty(navigator, 'vibrate', { value: vibrate, configurable: true });
    const due = SERVER_NOW + 5 * MIN;
    const { rerender } = renderHook(({ now }) => useDuePrompt(due, now), {
      initialProps: { now: SERVER_NOW },
    });
    rerender({ now: SERVER_NOW + 10 * MIN });
    rerender({ now: SERVER_NOW + 1_000 });
    expect(vibrate).toHaveBeenCalledTimes(1);
    // It is due now: the prompt that draws the patient to the screen must come now, not have been
    // spent 5 minutes early.
    rerender({ now: due });
    expect(vibrate).toHaveBeenCalledTimes(2);
  });
});
