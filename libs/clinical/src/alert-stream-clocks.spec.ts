import type { ReadingKind } from '@vigil/contracts';
import type { EngineEvent } from './alert-types';
import { feed, iso, labels, sec, T0, vitalsEvent } from './testing/factories';
import { run, spo2, stream, vital } from './testing/streams';

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
