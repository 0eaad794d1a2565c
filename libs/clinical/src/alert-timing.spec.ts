import type { ReadingKind } from '@vigil/contracts';
import { evaluateAt, recordHeartbeat } from './alert-rules';
import type { AlertEngineState, EngineEvent } from './alert-types';
import { DEFAULT_ORAL_PROTOCOL as P } from './protocol';
import { applyOverrides } from './protocol-overrides';
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
  vitalsEvent,
} from './testing/factories';

/** Device readings of one kind at 1 Hz, from `from` to `to` seconds inclusive. */
function stream(kind: ReadingKind, value: number, from: number, to: number): EngineEvent[] {
  const out: EngineEvent[] = [];
  for (let s = from; s <= to; s++) out.push(vitalsEvent(sec(s), [[kind, value]]));
  return out;
}
const spo2 = (value: number, from: number, to = from) => stream('spo2', value, from, to);
const vital = (state: AlertEngineState, now: number) =>
  labels(evaluateAt(state, now, P).conditions).filter((l) => !l.startsWith('device_offline'));
const run = (events: EngineEvent[]) => feed(makeEngine(), events);

describe('stream delay (v2): device SpO2 and HR must hold 15 s, in the readings own time', () => {
  it.each([
    [14, []],
    [15, ['spo2_low:high']],
    [16, ['spo2_low:high']],
  ])('first readings of a stream, low from 0 s: at %i s -> %j', (last, expected) => {
    const { conditions } = run(spo2(90, 0, last));
    expect(labels(conditions)).toEqual(expected);
    if (expected.length > 0) expect(conditions[0].since).toBe(iso(T0));
  });

  it.each([
    [19, []],
    [20, ['spo2_low:high']],
  ])('a drop at 5 s in a running stream: at %i s -> %j', (last, expected) => {
    expect(labels(run([...spo2(97, 0, 4), ...spo2(90, 5, last)]).conditions)).toEqual(expected);
  });

  it.each([
    [14, []],
    [15, ['hr_high:medium']],
  ])('streamed HR 121 from 0 s: at %i s -> %j', (last, expected) => {
    expect(labels(run(stream('heart_rate', 121, 0, last)).conditions)).toEqual(expected);
  });

  it('treats a reading with source "device" like one without a source', () => {
    const device = (s: number) => vitalsEvent(sec(s), [['spo2', 90]], 'device');
    expect(run([device(0), device(14)]).conditions).toEqual([]);
    expect(labels(run([device(0), device(15)]).conditions)).toEqual(['spo2_low:high']);
  });

  it('never raises a low that lasted 14 s, however often it recurs', () => {
    const events: EngineEvent[] = [];
    for (let s = 0; s < 600; s += 20)
      events.push(...spo2(90, s, s + 14), ...spo2(97, s + 15, s + 19));
    expect(run(events).conditions).toEqual([]);
  });

  it.each([
    ['SpO2', 'spo2', 90, 'spo2_low:high'],
    ['HR', 'heart_rate', 121, 'hr_high:medium'],
  ] as const)('raises a %s typed in by hand (source manual) at once', (_n, kind, value, label) => {
    const { conditions } = run([vitalsEvent(T0, [[kind, value]], 'manual')]);
    expect(labels(conditions)).toEqual([label]);
  });

  it.each([
    ['resp_rate', 8, 'rr_low:high'],
    ['bp_systolic', 180, 'sbp_high:high'],
    ['bp_diastolic', 110, 'dbp_high:high'],
  ] as const)('raises a device %s reading at once (discrete)', (kind, value, label) => {
    expect(labels(run([vitalsEvent(T0, [[kind, value]])]).conditions)).toEqual([label]);
  });

  it('does not mature a hold on the clock alone: only readings show that a low held', () => {
    const { state } = run([...spo2(97, 0, 4), ...spo2(90, 5)]);
    expect(vital(state, sec(40))).toEqual([]);
  });

  // A gap of more than 30 s between readings restarts the stream.
  it.each([
    [40, ['spo2_low:high']],
    [41, []],
  ])('low at 0-10 s, then low again at %i s -> %j', (back, expected) => {
    expect(labels(run([...spo2(90, 0, 10), ...spo2(90, back)]).conditions)).toEqual(expected);
  });

  // A sparse device: no reading within the stream interval before it, none newer since. It holds
  // once it has stood the delay with nothing newer, counted from its arrival (engine time).
  it.each([
    [14, []],
    [15, ['spo2_low:high']],
  ])('a lone device SpO2 85 (one reading a minute): %i s after it came -> %j', (wait, expected) => {
    const { state } = run([...spo2(97, 0), ...spo2(85, 60)]);
    expect(vital(state, sec(60 + wait))).toEqual(expected);
  });

  it.each([
    [14, []],
    [15, ['hr_high:medium']],
  ])('a BP cuff pulse 121 sent without a source: %i s after it came -> %j', (wait, expected) => {
    const { state } = run([vitalsEvent(sec(0), [['heart_rate', 121]])]);
    expect(vital(state, sec(wait))).toEqual(expected);
  });

  it('two lone lows in a row (one a minute) show at the second, whatever the clock did between', () => {
    expect(run([...spo2(85, 0)]).conditions).toEqual([]);
    const { conditions } = run([...spo2(85, 0), ...spo2(85, 60)]);
    expect(labels(conditions)).toEqual(['spo2_low:high']);
    expect(conditions[0].since).toBe(iso(T0));
  });

  it('a device every 29-31 s with the stream delay at its longest (30 s) still raises', () => {
    const { protocol } = applyOverrides(P, [
      { setting: 'streamDelay', value: 30, reason: 'Motion artefacts', by: 'dr-lee', at: iso(T0) },
    ]);
    const events = [0, 31, 60, 91, 120].flatMap((s) => spo2(85, s));
    expect(labels(feed(makeEngine(), events, protocol).conditions)).toEqual(['spo2_low:high']);
  });

  it('a lone low followed by older readings (a phone clock set back) does not hold on the clock', () => {
    const { state } = run([...spo2(97, 0, 20), ...spo2(85, 60), ...spo2(97, 45, 50)]);
    expect(vital(state, sec(120))).toEqual([]);
  });

  it('a phone clock 10 min fast: readings capped at their arrival keep their order', () => {
    // Each is dated after the event that carries it, so each is taken at the event's time.
    const ahead = (values: number[], from = 0): EngineEvent => ({
      type: 'vitals.recorded',
      at: iso(sec(0)),
      data: {
        readings: values.map((value, i) => ({
          kind: 'spo2',
          value,
          measuredAt: iso(sec(600 + from + i)),
        })),
      },
    });
    // Two submissions one engine pass takes in together, and one submission carrying both.
    for (const events of [[ahead([97]), ahead([85], 1)], [ahead([97, 85])]]) {
      const { state } = run(events);
      expect(state.readings.spo2?.value).toBe(85);
      expect(vital(state, sec(14))).toEqual([]);
      expect(vital(state, sec(15))).toEqual(['spo2_low:high']);
    }
  });

  it('a lone low answered within the delay by a clear reading raises nothing', () => {
    const { state } = run([...spo2(85, 0), ...spo2(97, 5)]);
    expect(vital(state, sec(60))).toEqual([]);
  });

  it('counts a late upload from its arrival: measured 10 min ago, it waits the delay from now', () => {
    const late: EngineEvent = {
      type: 'vitals.recorded',
      at: iso(sec(600)),
      data: { readings: [{ kind: 'spo2', value: 85, measuredAt: iso(sec(0)) }] },
    };
    const { state, conditions } = run([late]);
    expect(conditions).toEqual([]);
    expect(vital(state, sec(614))).toEqual([]);
    expect(vital(state, sec(615))).toEqual(['spo2_low:high']);
  });

  it('a buffered batch of a sparse device (lows one a minute) raises as it arrives', () => {
    const readings = [0, 60, 120].map((s) => ({
      kind: 'spo2',
      value: 85,
      measuredAt: iso(sec(s)),
    }));
    const batch: EngineEvent = { type: 'vitals.recorded', at: iso(sec(300)), data: { readings } };
    expect(labels(run([batch]).conditions)).toEqual(['spo2_low:high']);
  });

  it('a NEWS2 of typed values and a cuff pulse (a lone device reading) holds as the pulse does', () => {
    // SBP 95 (2) + RR 25 (3) + temp 39.2 (2) + pulse 115 (2) = 9: typed 10 s after the cuff.
    const cuff = vitalsEvent(sec(0), [
      ['bp_systolic', 95],
      ['bp_diastolic', 60],
      ['heart_rate', 115],
    ]);
    const typed = vitalsEvent(
      sec(10),
      [
        ['resp_rate', 25],
        ['temperature', 39.2],
      ],
      'manual',
    );
    const { state } = run([cuff, typed]);
    expect(vital(state, sec(14))).not.toContain('news2_high:high');
    expect(vital(state, sec(15))).toContain('news2_high:high');
  });

  it('a re-clipped 1 Hz stream still needs its own 15 s of readings, however long it then waits', () => {
    const { state } = run([...spo2(90, 0, 10), ...spo2(90, 41, 45)]);
    expect(vital(state, sec(120))).toEqual([]);
  });

  it('restarts the delay after a gap (a reconnect) and raises 15 s into the new stream', () => {
    const before = [...spo2(90, 0, 10)];
    expect(run([...before, ...spo2(90, 41, 55)]).conditions).toEqual([]);
    const { conditions } = run([...before, ...spo2(90, 41, 56)]);
    expect(labels(conditions)).toEqual(['spo2_low:high']);
    expect(conditions[0].since).toBe(iso(sec(41)));
  });

  it('restarts the hold when the stream recovers in between', () => {
    const events = [...spo2(90, 0, 10), ...spo2(96, 11), ...spo2(90, 12, 26)];
    expect(run(events).conditions).toEqual([]);
    expect(labels(run([...events, ...spo2(90, 27)]).conditions)).toEqual(['spo2_low:high']);
  });

  it('judges a buffered batch by its measurement times', () => {
    const readings = [0, 5, 10, 15].map((s) => ({
      kind: 'spo2',
      value: 90,
      measuredAt: iso(sec(s)),
    }));
    const batch: EngineEvent = { type: 'vitals.recorded', at: iso(sec(16)), data: { readings } };
    expect(labels(run([batch]).conditions)).toEqual(['spo2_low:high']);
  });

  it('shows the medium level while the high level is still holding, then rises', () => {
    const base = [...spo2(93, 0, 15), ...spo2(90, 16, 30)];
    expect(labels(run(base).conditions)).toEqual(['spo2_low:medium']);
    expect(labels(run([...base, ...spo2(90, 31)]).conditions)).toEqual(['spo2_low:high']);
  });

  it('uses an overridden stream delay (5 s)', () => {
    const { protocol } = applyOverrides(P, [
      { setting: 'streamDelay', value: 5, reason: 'Fragile patient', by: 'dr-lee', at: iso(T0) },
    ]);
    expect(feed(makeEngine(), spo2(90, 0, 4), protocol).conditions).toEqual([]);
    expect(labels(feed(makeEngine(), spo2(90, 0, 5), protocol).conditions)).toEqual([
      'spo2_low:high',
    ]);
  });
});

describe('readings from several clocks: measured times compare within one origin only', () => {
  /**
   * One reading that arrives at `arrival` s, dated `behind` s earlier by the clock of its origin:
   * a paired device (named in the data) or the account whose phone sent it.
   */
  const from =
    (origin: { device: string } | { account: string }, behind = 0) =>
    (arrival: number, kind: ReadingKind, value: number, source?: 'manual'): EngineEvent => ({
      type: 'vitals.recorded',
      at: iso(sec(arrival)),
      ...('account' in origin ? { actorId: origin.account } : {}),
      data: {
        readings: [
          {
            kind,
            value,
            measuredAt: iso(sec(arrival - behind)),
            ...(source ? { source } : {}),
          },
        ],
        ...('device' in origin ? { device: { id: origin.device, kind: 'pulse_oximeter' } } : {}),
      },
    });
  const phone = from({ account: 'patient-1' });
  const seconds = (first: number, last: number) =>
    Array.from({ length: last - first + 1 }, (_, i) => first + i);

  it('an oximeter 3 min slow, 20 s of SpO2 85 after a typed SpO2 97, raises spo2_low', () => {
    const slow = from({ device: 'ox-1' }, 180);
    const typed: EngineEvent = { ...phone(0, 'spo2', 97, 'manual') };
    const { state, conditions } = run([typed, ...seconds(1, 20).map((s) => slow(s, 'spo2', 85))]);
    expect(labels(conditions)).toEqual(['spo2_low:high']);
    expect(state.readings.spo2).toMatchObject({ value: 85, origin: 'device:ox-1' });
  });

  it('two devices reporting HR, one 3 min slow: each streams on its own clock and HR 125 raises', () => {
    const onTime = from({ device: 'ox-1' });
    const slow = from({ device: 'cuff-1' }, 180);
    const both = seconds(0, 15).flatMap((s) => [
      onTime(s, 'heart_rate', 125),
      slow(s, 'heart_rate', 125),
    ]);
    expect(labels(run(both.slice(0, -2)).conditions)).toEqual([]);
    expect(labels(run(both).conditions)).toEqual(['hr_high:medium']);
    // The slow one alone, after the other's normal readings, still holds its 15 s.
    const alone = [
      ...seconds(0, 5).map((s) => onTime(s, 'heart_rate', 80)),
      ...seconds(6, 21).map((s) => slow(s, 'heart_rate', 125)),
    ];
    expect(labels(run(alone.slice(0, -1)).conditions)).toEqual([]);
    expect(labels(run(alone).conditions)).toEqual(['hr_high:medium']);
  });

  it('a late reading from the same origin, measured before its latest, still changes nothing', () => {
    const ox = from({ device: 'ox-1' });
    const low = seconds(0, 20).map((s) => ox(s, 'spo2', 85));
    const lateFromDevice: EngineEvent = {
      ...ox(21, 'spo2', 97),
      data: {
        readings: [{ kind: 'spo2', value: 97, measuredAt: iso(sec(5)) }],
        device: { id: 'ox-1', kind: 'pulse_oximeter' },
      },
    };
    const { state, conditions } = run([...low, lateFromDevice]);
    expect(labels(conditions)).toEqual(['spo2_low:high']);
    expect(state.readings.spo2?.value).toBe(85);
    // Another origin in between does not make an old one of the phone's the latest either.
    const typedLow = phone(0, 'spo2', 90, 'manual');
    const lateFromPhone: EngineEvent = {
      ...phone(30, 'spo2', 99, 'manual'),
      data: {
        readings: [{ kind: 'spo2', value: 99, measuredAt: iso(sec(-60)), source: 'manual' }],
      },
    };
    const after = run([typedLow, ox(10, 'spo2', 90), lateFromPhone]);
    expect(after.state.readings.spo2).toMatchObject({ value: 90, origin: 'device:ox-1' });
  });
});

describe('auto-resolve hysteresis (v2): a shown stream condition stays until clear for 60 s', () => {
  // Low from 0 s, shown at 15 s; clear readings from 30 s on, up to the time judged.
  it.each([
    [30, 30, true],
    [89, 89.999, true],
    [90, 90, false],
  ])('clear from 30 s to %i s, judged at %d s: still shown %s', (last, at, present) => {
    const { state } = run([...spo2(90, 0, 29), ...spo2(96, 30, last)]);
    expect(vital(state, sec(at))).toEqual(present ? ['spo2_low:high'] : []);
  });

  it('resolves a stream that stopped while clear, 60 s after its first clear reading', () => {
    const { state } = run([...spo2(90, 0, 29), ...spo2(96, 30, 35)]);
    expect(vital(state, sec(89))).toEqual(['spo2_low:high']);
    expect(vital(state, sec(90))).toEqual([]);
  });

  it('keeps the message it was shown with while the stream is clear', () => {
    const before = run(spo2(90, 0, 29)).conditions[0];
    const during = run([...spo2(90, 0, 29), ...spo2(96, 30, 70)]).conditions[0];
    expect(during).toEqual(before);
    expect(during.message).toBe('SpO2 90 % (limit 91)');
  });

  it('restarts the 60 s when the value dips again while still shown', () => {
    const events = [...spo2(90, 0, 29), ...spo2(96, 30, 50), ...spo2(90, 51), ...spo2(96, 52, 111)];
    const { state } = run(events);
    expect(vital(state, sec(111))).toEqual(['spo2_low:high']);
    expect(vital(state, sec(112))).toEqual([]);
  });

  it('keeps the alert up (not a new one) when a brief dip is shorter than the delay', () => {
    const events = [...spo2(90, 0, 20), ...spo2(96, 21, 25), ...spo2(90, 26, 30)];
    const { conditions } = run(events);
    expect(labels(conditions)).toEqual(['spo2_low:high']);
    expect(conditions[0].since).toBe(iso(T0));
  });

  it.each([
    ['SpO2', 'spo2', 90, 96],
    ['HR', 'heart_rate', 130, 80],
  ] as const)(
    'resolves a %s condition at once on a clear discrete reading',
    (_n, kind, low, ok) => {
      const shownFirst = run(stream(kind, low, 0, 20));
      expect(shownFirst.conditions).toHaveLength(1);
      const { conditions } = feed(shownFirst.state, [vitalsEvent(sec(21), [[kind, ok]], 'manual')]);
      expect(conditions).toEqual([]);
    },
  );

  describe('readings whose clock is 90 s behind ours (a slow phone clock, a late outbox)', () => {
    const lag = 90_000;
    /** SpO2 measured at `from`..`to` s by the stream's clock, each arriving 90 s later. */
    const behind = (value: number, from: number, to = from): EngineEvent[] => {
      const out: EngineEvent[] = [];
      for (let s = from; s <= to; s++)
        out.push({ ...vitalsEvent(sec(s), [['spo2', value]]), at: iso(sec(s) + lag) });
      return out;
    };

    it('one clear reading is clear for 0 s, not 90: the alert stays up', () => {
      const { conditions } = run([...behind(88, 0, 20), ...behind(97, 21)]);
      expect(labels(conditions)).toEqual(['spo2_low:high']);
    });

    it('resolves after 60 s of clear readings in the stream own time', () => {
      expect(labels(run([...behind(88, 0, 20), ...behind(97, 21, 80)]).conditions)).toEqual([
        'spo2_low:high',
      ]);
      expect(labels(run([...behind(88, 0, 20), ...behind(97, 21, 81)]).conditions)).toEqual([]);
    });

    it('a stream that goes quiet on a clear reading resolves 60 s after that reading came in', () => {
      const { state } = run([...behind(88, 0, 20), ...behind(97, 21, 30)]);
      // Clear 9 s in the stream's time when its last reading came in, at 120 s.
      expect(vital(state, sec(170))).toEqual(['spo2_low:high']);
      expect(vital(state, sec(171))).toEqual([]);
    });
  });

  it('resolves a streamed HR condition after 60 s clear', () => {
    const { state } = run([
      ...stream('heart_rate', 130, 0, 20),
      ...stream('heart_rate', 80, 21, 80),
    ]);
    expect(vital(state, sec(80))).toEqual(['hr_high:medium']);
    expect(vital(state, sec(81))).toEqual([]);
  });
});

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
