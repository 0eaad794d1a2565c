/**
 * The monitoring screen on a phone whose clock is off. It counts by the server's clock as the
 * phone estimates it (`serverNow`); the check-ins and readings the phone made carry its own clock
 * (their `takenAt` and `measuredAt`, as the contract defines them), so the screen must move them
 * onto the server's before it says when the next check-in or BP check is due.
 */
import { act, render, screen } from '@testing-library/react';
import type { SessionEvent } from '@vigil/contracts';
import type { OutboxItem } from '@vigil/outbox';
import { clockTime } from '../shared/clock-time';
import { MonitoringScreen } from './components/MonitoringScreen';
import { MIN, SERVER_NOW, serverAt, setPhoneClock } from './test-support/phone-clock';

jest.mock('./outbox/patient-outbox', () =>
  jest
    .requireActual<typeof import('./test-support/fake-outbox')>('./test-support/fake-outbox')
    .patientOutboxModule(),
);

const iso = (ms: number) => new Date(ms).toISOString();
const DOSED_AT = iso(serverAt(-20));

const checkInItem = (takenAt: number, over: Partial<OutboxItem> = {}): OutboxItem => ({
  clientId: `checkin-${takenAt}`,
  userId: 'patient-1',
  sessionId: 's1',
  kind: 'checkin',
  body: { moaas: 5, takenAt: iso(takenAt) },
  createdAt: iso(takenAt),
  status: 'pending',
  attempts: 0,
  ...over,
});
const bpItem = (measuredAt: number, over: Partial<OutboxItem> = {}): OutboxItem => ({
  ...checkInItem(measuredAt),
  clientId: `vitals-${measuredAt}`,
  kind: 'vitals',
  body: {
    readings: [
      { kind: 'bp_systolic', value: 128, measuredAt: iso(measuredAt), source: 'manual' },
      { kind: 'bp_diastolic', value: 82, measuredAt: iso(measuredAt), source: 'manual' },
    ],
  },
  ...over,
});
const recorded = (seq: number, at: number, data: Record<string, unknown>) =>
  ({
    sessionId: 's1',
    seq,
    type: 'checkin.recorded',
    at: iso(at),
    actorId: 'p',
    data,
  }) as unknown as SessionEvent;

function monitoring(events: SessionEvent[], items: OutboxItem[], dosedAt = DOSED_AT) {
  return render(
    <MonitoringScreen
      sessionId="s1"
      state="monitoring"
      dosedAt={dosedAt}
      route="oral"
      doseSaved={false}
      events={events}
      items={items}
    />,
  );
}

beforeEach(() => jest.useFakeTimers());
afterEach(() => jest.useRealTimers());

describe('the next check-in, on a phone whose clock is off', () => {
  it('10 min fast: a check-in made 5 minutes ago, not sent yet, makes the next one due in 10 minutes', () => {
    const skew = 10 * MIN;
    setPhoneClock(skew);
    // Its takenAt is the phone's clock: 10:05, five minutes ago by a clock 10 minutes fast.
    monitoring([], [checkInItem(serverAt(-5) + skew)]);
    // Counted from 10:05 on the server's clock, it said "in 20 min": the prompt came 10 minutes
    // late, after the clinician's overdue alarm (15 + 5 min from when it was made).
    expect(screen.getByText(/Next check-in in/)).toHaveTextContent('Next check-in in 10 min');
  });

  it('10 min slow: a check-in the server recorded 5 minutes ago is not due again at once', () => {
    const skew = -10 * MIN;
    setPhoneClock(skew);
    // Sent at once (waited 0 on the phone); its takenAt reads 09:45 by the phone's slow clock.
    monitoring(
      [recorded(7, serverAt(-5), { moaas: 5, takenAt: iso(serverAt(-5) + skew), waitedMs: 0 })],
      [],
    );
    expect(screen.queryByRole('heading', { name: 'Time for your check-in' })).toBeNull();
    expect(screen.getByText(/Next check-in in/)).toHaveTextContent('Next check-in in 10 min');
  });

  it('counts a check-in the server has recorded from when it was made, not its phone time, once it is delivered', () => {
    // The phone was 10 min fast when the patient checked in 5 minutes ago; its clock has been set
    // right since. The outbox item keeps the phone time it was made with (10:05 for 09:55).
    setPhoneClock(0);
    const item = checkInItem(serverAt(-5) + 10 * MIN, { status: 'delivered', seq: 7 });
    const event = recorded(7, serverAt(-5), { moaas: 5, takenAt: item.body.takenAt, waitedMs: 0 });
    monitoring([event], [item]);
    expect(screen.getByText(/Next check-in in/)).toHaveTextContent('Next check-in in 10 min');
  });

  it('prompts when the check-in is due by the server clock', () => {
    setPhoneClock(10 * MIN);
    monitoring([], [checkInItem(serverAt(-5) + 10 * MIN)]);
    act(() => jest.advanceTimersByTime(10 * MIN));
    expect(screen.getByRole('heading', { name: 'Time for your check-in' })).toBeVisible();
  });
});

describe('the peak BP check (45 min after the dose), on a phone whose clock is off', () => {
  const dueHeading = () => screen.queryByRole('heading', { name: 'Blood pressure check due' });

  it('10 min fast: a BP taken 15 minutes before the peak does not count for it', () => {
    const skew = 10 * MIN;
    setPhoneClock(skew);
    // Dosed 30 min ago: the peak check is in 15 min and counts a BP from 10 min before it. By the
    // phone's clock, 10 min fast, the BP taken now reads 10 min later, inside that window.
    monitoring([], [bpItem(SERVER_NOW + skew)], iso(serverAt(-30)));
    act(() => jest.advanceTimersByTime(15 * MIN));
    expect(dueHeading()).toBeVisible();
  });

  it('10 min slow: a BP taken 2 minutes before the peak counts for it', () => {
    const skew = -10 * MIN;
    setPhoneClock(skew);
    monitoring([], [bpItem(SERVER_NOW + skew)], iso(serverAt(-43)));
    act(() => jest.advanceTimersByTime(2 * MIN));
    expect(dueHeading()).toBeNull();
  });

  it('10 min slow, delivered and recorded: still counts it by when it was measured', () => {
    const skew = -10 * MIN;
    setPhoneClock(skew);
    const item = bpItem(SERVER_NOW + skew, { status: 'delivered', seq: 9 });
    const event = {
      sessionId: 's1',
      seq: 9,
      type: 'vitals.recorded',
      at: iso(SERVER_NOW),
      actorId: 'p',
      data: { readings: item.body.readings },
    } as unknown as SessionEvent;
    monitoring([event], [item], iso(serverAt(-43)));
    act(() => jest.advanceTimersByTime(2 * MIN));
    expect(dueHeading()).toBeNull();
  });
});

describe('clock times on the monitoring screen, on a phone 10 min fast', () => {
  it("says when the next check-in and BP check are due by the phone's clock, the one the patient reads", () => {
    const skew = 10 * MIN;
    setPhoneClock(skew);
    // Dosed 30 min ago: the peak BP check is due in 15 minutes; a check-in made 5 minutes ago.
    monitoring([], [checkInItem(serverAt(-5) + skew)], iso(serverAt(-30)));
    // Due at 10:10 and 10:15 by the server's clock: 10:20 and 10:25 on a phone that reads 10:10.
    expect(screen.getByText(/Next check-in in/)).toHaveTextContent(
      `Next check-in in 10 min (${clockTime(serverAt(10) + skew)})`,
    );
    expect(
      screen.getByText(`Next blood pressure check at ${clockTime(serverAt(15) + skew)}`),
    ).toBeVisible();
  });
});
