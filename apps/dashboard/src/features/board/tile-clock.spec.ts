import { renderHook } from '@testing-library/react';
import { eventLog, iso, summary, T0 } from '../../read-model/testing';
import { api } from '../../shared/api';
import { useNow } from '../../shared/useNow';
import { alarmLevel, isSilenced } from '../alerts/alert-logic';
import { slotOf, TickingClock } from './tile-clock';
import { tileView } from './tile-view';

describe('TickingClock', () => {
  beforeEach(() => jest.useFakeTimers({ now: 0 }));
  afterEach(() => jest.useRealTimers());

  const ids = Array.from(
    { length: 200 },
    (_, i) => `00000000-0000-4000-8000-${i.toString(16).padStart(12, '0')}`,
  );

  it('spreads sessions evenly over the slots, the same slot for the same session', () => {
    const counts = [0, 0, 0, 0];
    for (const id of ids) counts[slotOf(id, 4)] += 1;
    expect(counts).toEqual([50, 50, 50, 50]);
    expect(slotOf(ids[7], 4)).toBe(slotOf(ids[7], 4));
    expect(slotOf('not-a-uuid', 4)).toBeGreaterThanOrEqual(0);
    expect(slotOf(ids[7], 1)).toBe(0);
  });

  it("tells a session's listener once a second, in its slot, and the others on every slot", () => {
    const clock = new TickingClock(1000, 4);
    const every = jest.fn();
    const told = new Map<string, number[]>();
    clock.subscribe(every);
    for (const id of ids.slice(0, 8))
      clock.subscribe(() => told.set(id, [...(told.get(id) ?? []), Date.now()]), id);

    jest.advanceTimersByTime(3000);
    expect(every).toHaveBeenCalledTimes(12);
    for (const id of ids.slice(0, 8)) {
      const times = told.get(id)!;
      expect(times).toHaveLength(3);
      // A second apart, in the slot that is this session's.
      expect(times[1] - times[0]).toBe(1000);
      expect(((times[0] / 250) % 4) - ((slotOf(id, 4) + 4) % 4)).toBe(0);
    }
    expect(clock.now()).toBe(3000);
  });

  it('says whose slot was just ticked, and stops its timer when nobody listens', () => {
    const clock = new TickingClock(1000, 4);
    const due: string[][] = [];
    const off = clock.subscribe(() => due.push(ids.slice(0, 4).filter((id) => clock.isDue(id))));
    jest.advanceTimersByTime(1000);
    expect(due.flat().sort()).toEqual(ids.slice(0, 4).sort());
    expect(due.every((slot) => slot.every((id) => slotOf(id, 4) === slotOf(slot[0], 4)))).toBe(
      true,
    );
    off();
    expect(jest.getTimerCount()).toBe(0);
  });
});

/**
 * Review rscreen: every time the dashboard judges is a server time (a reading's time capped at
 * its commit, `silencedUntil`, a check-in's due time), and it was compared with this computer's
 * clock. The dashboard now reads the server's clock from its API answers' `Date` header
 * (clock/server-clock.ts) and judges by it: the board's clock (TickingClock) and useNow (the
 * session view, the workspace's alarms) read it.
 */
describe("judged by the server's clock, whatever this computer's clock reads", () => {
  const MIN = 60_000;
  const realFetch = globalThis.fetch;
  afterEach(() => {
    jest.restoreAllMocks();
    globalThis.fetch = realFetch;
  });

  /** This computer's clock reads `skew` off the server's, which is at `serverNow`; an API answer comes. */
  async function station(serverNow: number, skew: number): Promise<void> {
    jest.spyOn(Date, 'now').mockReturnValue(serverNow + skew);
    globalThis.fetch = jest.fn(() =>
      Promise.resolve({
        ok: true,
        status: 200,
        headers: new Headers({ date: new Date(serverNow).toUTCString() }),
        text: () => Promise.resolve('[]'),
      }),
    ) as unknown as typeof fetch;
    await api('GET', '/api/sessions?state=live');
  }

  it('marks an oximeter stream that stopped 3 min ago stale on a station 5 min slow, aged 3 min', async () => {
    // SpO2/HR at 1 Hz until 30 min after the dose, then nothing (probe off); the phone stays.
    const log = eventLog('s1');
    for (let s = 0; s < 60; s++) log.vitals(29 * MIN + s * 1000, { spo2: 96, heart_rate: 72 });
    const stoppedAt = T0 + 29 * MIN + 59_000;
    await station(stoppedAt + 3 * MIN, -5 * MIN);
    const now = new TickingClock().now();
    const spo2 = tileView(summary('s1', 'Ann Ash'), log.model(), now).vitals.find(
      (v) => v.key === 'spo2',
    )!;
    // What the tile prints as the age: TileVital's Age, now - measuredAt.
    expect({ stale: spo2.stale, ageS: Math.floor((now - spo2.measuredAt!) / 1000) }).toEqual({
      stale: true,
      ageS: 180,
    });
  });

  it('ends a 2-minute silence after 2 minutes on a station 5 min slow (CLINICAL.md: at most 2 min)', async () => {
    const silencedAt = 31 * MIN;
    const alert = eventLog('s2')
      .raise(30 * MIN, 'a1', 'high', 'SpO2 88 <= 91', 'spo2_low')
      .add('alert.silenced', silencedAt, {
        alertId: 'a1',
        silencedUntil: iso(silencedAt + 2 * MIN),
      })
      .model().alerts.a1;
    // The countdown the alert shows when the silence begins: never more than the 2 min asked for.
    await station(T0 + silencedAt, -5 * MIN);
    const atSilence = renderHook(() => useNow()).result.current;
    expect(Date.parse(alert.silencedUntil!) - atSilence).toBeLessThanOrEqual(2 * MIN);
    // Three minutes after it began, it ended a minute ago: the alarm sounds again.
    await station(T0 + silencedAt + 3 * MIN, -5 * MIN);
    const later = renderHook(() => useNow()).result.current;
    expect(isSilenced(alert, later)).toBe(false);
    expect(alarmLevel([alert], later)).toBe('high');
  });

  it('marks no reading that has just arrived stale on a station 2 min fast (no crying wolf)', async () => {
    const log = eventLog('s1').vitals(40 * MIN, { spo2: 96, heart_rate: 72 });
    await station(T0 + 40 * MIN, 2 * MIN);
    const view = tileView(summary('s1', 'Ann Ash'), log.model(), new TickingClock().now());
    expect(view.vitals.filter((v) => v.stale).map((v) => v.key)).toEqual([]);
  });
});
