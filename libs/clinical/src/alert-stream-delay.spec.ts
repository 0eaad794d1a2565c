import type { EngineEvent } from './alert-types';
import { DEFAULT_ORAL_PROTOCOL as P } from './protocol';
import { applyOverrides } from './protocol-overrides';
import { feed, iso, labels, makeEngine, sec, T0, vitalsEvent } from './testing/factories';
import { run, spo2, stream, vital } from './testing/streams';

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
