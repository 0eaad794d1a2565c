import { evaluateAt, recordHeartbeat } from './alert-rules';
import type { AlertEngineState } from './alert-types';
import { DEFAULT_ORAL_PROTOCOL as P } from './protocol';
import {
  checkInEvent,
  feed,
  iso,
  labels,
  makeEngine,
  min,
  sec,
  stateEvent,
  T0,
} from './testing/factories';

describe('check-in overdue (v2): 15 min + 5 min grace from the dose time, high 5 min later', () => {
  const dosed = () => makeEngine({ dosedAt: iso(T0), sessionState: 'monitoring' });
  const overdue = (state: AlertEngineState, ms: number) =>
    labels(evaluateAt(state, ms, P).conditions).filter((l) => l.startsWith('checkin_overdue'));

  it.each([
    [min(20) - 1, []],
    [min(20), ['checkin_overdue:medium']],
    [min(25) - 1, ['checkin_overdue:medium']],
    [min(25), ['checkin_overdue:high']],
  ])('with no check-in since a dose at T0, at %i ms -> %j', (ms, expected) => {
    expect(overdue(dosed(), ms)).toEqual(expected);
  });

  it('counts from the last check-in that carried MOAA/S', () => {
    const { state } = feed(dosed(), [checkInEvent(min(10), { moaas: 5 })]);
    expect(overdue(state, min(30) - 1)).toEqual([]);
    expect(overdue(state, min(30))).toEqual(['checkin_overdue:medium']);
    expect(overdue(state, min(35))).toEqual(['checkin_overdue:high']);
  });

  it('does not count a check-in without MOAA/S (a note alone)', () => {
    const { state } = feed(dosed(), [checkInEvent(min(10), { note: 'feeling floaty' })]);
    expect(overdue(state, min(20))).toEqual(['checkin_overdue:medium']);
  });

  it('starts the clock at the reported dose time, not when the dose was confirmed', () => {
    const { state } = feed(makeEngine({ sessionState: 'ready' }), [
      stateEvent(min(3), 'dosed', { dosedAt: iso(T0) }),
    ]);
    expect(overdue(state, min(20) - 1)).toEqual([]);
    expect(overdue(state, min(20))).toEqual(['checkin_overdue:medium']);
  });

  it.each([
    // A phone clock 30 min slow, check-ins arriving on time every 15 min: the schedule counts
    // from arrival, so it is never overdue (from the phone's takenAt it held a high alarm all
    // session that no check-in cleared). Judged 1 min after the last arrival.
    [30 * 60_000, min(61), []],
    // 6 min slow, one check-in at 15: the next due at 30, overdue only from 35 (15 + 5 grace).
    [6 * 60_000, min(29), []],
  ])(
    'a phone clock %i ms slow does not make on-time check-ins overdue (at %i ms -> %j)',
    (slow, ms, expected) => {
      const arrivals = [min(15), min(30), min(45), min(60)].filter((at) => at < ms);
      const { state } = feed(
        dosed(),
        arrivals.map((at) => checkInEvent(at, { moaas: 5, takenAt: iso(at - slow) })),
      );
      expect(overdue(state, ms)).toEqual(expected);
    },
  );

  // v1.10: a check-in that waited on the phone (a poor network) counts from when it was made.
  it.each([
    // made at 15 min, held 10 min by the phone's outbox, arrived at 25: due at 30, overdue at 35.
    [min(35) - 1, []],
    [min(35), ['checkin_overdue:medium']],
  ])('a check-in made at 15 min that waited 10 min on the phone: at %i ms -> %j', (ms, want) => {
    const { state } = feed(dosed(), [checkInEvent(min(25), { moaas: 5, waitedMs: 10 * 60_000 })]);
    expect(overdue(state, ms)).toEqual(want);
  });

  it('never dates a check-in before the dose or the check-in before it (a clock changed meanwhile)', () => {
    const early = feed(dosed(), [checkInEvent(min(5), { moaas: 5, waitedMs: 60 * 60_000 })]);
    expect(overdue(early.state, min(20))).toEqual(['checkin_overdue:medium']);
    const { state } = feed(dosed(), [
      checkInEvent(min(15), { moaas: 5 }),
      checkInEvent(min(20), { moaas: 2, waitedMs: 12 * 60_000 }),
    ]);
    expect(overdue(state, min(35) - 1)).toEqual([]);
    // Its MOAA/S is the latest to arrive all the same: a wait cannot be told from a phone clock
    // corrected while it waited, and a MOAA/S 2 judged history would be a missed alarm.
    expect(labels(evaluateAt(state, min(21), P).conditions)).toContain('moaas_low:high');
  });

  it.each([
    // resolved at (priority) -> judged at -> conditions: a resolve restarts the count for the
    // levels up to the one resolved; a higher level still counts from the check-in (the dose).
    [min(21), 'medium', min(22), []],
    [min(21), 'medium', min(25), ['checkin_overdue:high']],
    [min(26), 'high', min(46) - 1, []],
    [min(26), 'high', min(46), ['checkin_overdue:medium']],
    [min(26), 'high', min(51), ['checkin_overdue:high']],
  ] as const)(
    'after a clinician resolved it at %i ms (%s), at %i ms -> %j',
    (at, priority, ms, expected) => {
      const state = { ...dosed(), manualResolves: { checkin_overdue: { at, priority } } };
      expect(overdue(state, ms)).toEqual(expected);
    },
  );

  it('does not run before the dose or after the end', () => {
    expect(overdue(makeEngine({ sessionState: 'ready' }), min(60))).toEqual([]);
    const { state } = feed(dosed(), [stateEvent(min(1), 'ended')]);
    expect(overdue(state, min(60))).toEqual([]);
  });
});

describe('device offline (v2): 60 s without a sign of life, or never heard 60 s into monitoring', () => {
  const live = () => makeEngine({ sessionState: 'monitoring', lastHeartbeatAt: iso(T0) });
  const offline = (state: AlertEngineState, ms: number) =>
    labels(evaluateAt(state, ms, P).conditions).filter((l) => l.startsWith('device_offline'));

  it.each([
    [59_999, []],
    [60_000, ['device_offline:low']],
  ])('heard at T0, judged at +%i ms -> %j', (ms, expected) => {
    expect(offline(live(), T0 + ms)).toEqual(expected);
  });

  it('counts heartbeats, presence and submissions as signs of life', () => {
    let state = recordHeartbeat(live(), sec(50));
    expect(offline(state, sec(100))).toEqual([]);
    state = feed(state, [
      { type: 'presence.changed', at: iso(sec(100)), data: { status: 'online' } },
    ]).state;
    expect(offline(state, sec(159))).toEqual([]);
    state = feed(state, [checkInEvent(sec(150), { moaas: 5 })]).state;
    expect(offline(state, sec(209))).toEqual([]);
    expect(offline(state, sec(210))).toEqual(['device_offline:low']);
  });

  it.each([
    [59_999, []],
    [60_000, ['device_offline:low']],
  ])('never heard, dosed at T0: at +%i ms -> %j', (ms, expected) => {
    const { state } = feed(makeEngine({ sessionState: 'ready' }), [stateEvent(T0, 'dosed')]);
    expect(offline(state, T0 + ms)).toEqual(expected);
  });

  it.each([
    [sec(70), sec(129), []],
    [sec(70), sec(130), ['device_offline:low']],
  ])('after a clinician resolved it at %i ms, still silent, at %i ms -> %j', (at, ms, expected) => {
    const state = {
      ...live(),
      manualResolves: { device_offline: { at, priority: 'low' as const } },
    };
    expect(offline(state, ms)).toEqual(expected);
  });

  it('flags a device never heard in a session already in monitoring when its engine starts', () => {
    const state = makeEngine({ sessionState: 'monitoring', dosedAt: iso(T0) });
    expect(offline(state, sec(59))).toEqual([]);
    expect(offline(state, sec(60))).toEqual(['device_offline:low']);
  });

  it('raises nothing for a device never heard before monitoring begins', () => {
    expect(offline(makeEngine({ sessionState: 'screening' }), min(10))).toEqual([]);
  });
});
