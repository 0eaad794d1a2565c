import type { ReadingKind } from '@vigil/contracts';
import { evaluateAt } from './alert-rules';
import type { Condition } from './alert-types';
import { DEFAULT_ORAL_PROTOCOL as P } from './protocol';
import { news2ParametersNamed } from './vital-rules';
import {
  checkInEvent,
  feed,
  findCondition as find,
  iso,
  labels,
  makeEngine,
  min,
  T0,
  vitalsEvent,
} from './testing/factories';

const NORMAL: Array<[ReadingKind, number]> = [
  ['resp_rate', 16],
  ['spo2', 98],
  ['bp_systolic', 120],
  ['heart_rate', 70],
  ['temperature', 37],
];

/** A full NEWS2 set typed in at T0 (discrete), room air, with the changes given. */
function withVitals(changes: Array<[ReadingKind, number]>, moaas = 5) {
  const merged = new Map([...NORMAL, ...changes]);
  return feed(makeEngine({ supplementalOxygen: false, preDoseMoaas: 5 }), [
    checkInEvent(T0, { moaas }),
    vitalsEvent(T0, [...merged], 'manual'),
  ]);
}
const news2 = (cs: Condition[]) => labels(cs.filter((c) => c.condition.startsWith('news2')));

describe('NEWS2 conditions (v2)', () => {
  it.each([
    [
      '4',
      [
        ['resp_rate', 21],
        ['heart_rate', 111],
      ],
      [],
    ],
    [
      '5',
      [
        ['resp_rate', 21],
        ['heart_rate', 111],
        ['spo2', 95],
      ],
      ['news2_medium:medium'],
    ],
    [
      '6',
      [
        ['resp_rate', 21],
        ['heart_rate', 111],
        ['spo2', 95],
        ['temperature', 38.1],
      ],
      ['news2_medium:medium'],
    ],
    [
      '7 (the medium alert hidden while the high one shows)',
      [
        ['resp_rate', 21],
        ['heart_rate', 111],
        ['spo2', 95],
        ['temperature', 38.1],
        ['bp_systolic', 101],
      ],
      ['news2_high:high'],
    ],
  ] as Array<[string, Array<[ReadingKind, number]>, string[]]>)(
    'total %s',
    (_name, changes, expected) => {
      expect(news2(withVitals(changes).conditions)).toEqual(expected);
    },
  );

  it('words the score as a clinician reads it, the limit in brackets', () => {
    const high = withVitals([
      ['resp_rate', 21],
      ['heart_rate', 111],
      ['spo2', 95],
      ['temperature', 38.1],
      ['bp_systolic', 101],
    ]).conditions;
    expect(find(high, 'news2_high')?.message).toBe('NEWS2 7 (limit 7)');
    // Without a temperature the total can only be higher than shown.
    const partial = feed(makeEngine({ supplementalOxygen: false, preDoseMoaas: 5 }), [
      checkInEvent(T0, { moaas: 5 }),
      vitalsEvent(
        T0,
        [
          ['resp_rate', 21],
          ['heart_rate', 111],
          ['spo2', 95],
          ['bp_systolic', 120],
        ],
        'manual',
      ),
    ]).conditions;
    expect(find(partial, 'news2_medium')?.message).toBe('NEWS2 5+ (limit 5)');
  });

  // A parameter scoring 3 raises news2_single_3 only when no direct rule covers it.
  it.each([
    ['pulse 40', [['heart_rate', 40]], ['news2_single_3:medium'], null],
    ['pulse 41 (scores 1)', [['heart_rate', 41]], [], null],
    ['SBP 90', [['bp_systolic', 90]], ['news2_single_3:medium'], null],
    ['SBP 91 (scores 2)', [['bp_systolic', 91]], [], null],
    ['temperature 35.0', [['temperature', 35.0]], ['news2_single_3:medium'], null],
    ['temperature 35.1 (scores 1)', [['temperature', 35.1]], [], null],
    ['RR 25', [['resp_rate', 25]], ['news2_single_3:medium'], null],
    ['RR 24 (scores 2)', [['resp_rate', 24]], [], null],
    ['RR 8: rr_low only', [['resp_rate', 8]], [], 'rr_low:high'],
    ['SpO2 91: spo2_low only', [['spo2', 91]], [], 'spo2_low:high'],
    ['SBP 220: sbp_high only', [['bp_systolic', 220]], [], 'sbp_high:high'],
    ['pulse 131: hr_high only', [['heart_rate', 131]], [], 'hr_high:medium'],
  ] as Array<[string, Array<[ReadingKind, number]>, string[], string | null]>)(
    'one cause, one alert: %s',
    (_name, changes, expected, direct) => {
      const { conditions } = withVitals(changes);
      expect(news2(conditions)).toEqual(expected);
      if (direct) expect(labels(conditions)).toContain(direct);
    },
  );

  it('raises MOAA/S 3 as moaas_low, not also as a NEWS2 single 3', () => {
    expect(labels(withVitals([], 3).conditions)).toEqual(['moaas_low:medium']);
  });

  it('still counts a covered parameter in the NEWS2 total (RR 8 + SpO2 92 = 5)', () => {
    const { conditions } = withVitals([
      ['resp_rate', 8],
      ['spo2', 92],
    ]);
    expect(labels(conditions)).toEqual(['rr_low:high', 'news2_medium:medium', 'spo2_low:medium']);
  });

  it('names the parameter that scores 3', () => {
    expect(find(withVitals([['heart_rate', 40]]).conditions, 'news2_single_3')?.message).toBe(
      'Pulse 40 (NEWS2 3)',
    );
  });

  it('reads back the parameters its message names (the FHIR export points at them)', () => {
    const { conditions } = withVitals([
      ['heart_rate', 40],
      ['temperature', 34.8],
    ]);
    const message = find(conditions, 'news2_single_3')?.message ?? '';
    expect(message).toBe('Pulse 40, Temp 34.8 °C (NEWS2 3)');
    expect(news2ParametersNamed(message).sort()).toEqual(['pulse', 'temperature']);
    expect(news2ParametersNamed('Oxygen given, SpO2 90 % (NEWS2 3)').sort()).toEqual([
      'spo2',
      'supplemental_oxygen',
    ]);
  });

  // v2: values older than 15 min count as missing.
  it.each([
    [min(15), ['news2_medium:medium']],
    [min(15) + 1000, []],
  ])('counts a value measured at T0 when judged at %i ms: %j', (now, expected) => {
    const { state } = feed(makeEngine({ supplementalOxygen: false }), [
      vitalsEvent(T0, [['spo2', 95]], 'manual'),
      checkInEvent(min(10), { moaas: 5 }),
      vitalsEvent(
        min(10),
        [
          ['resp_rate', 21],
          ['heart_rate', 111],
          ['bp_systolic', 120],
          ['temperature', 37],
        ],
        'manual',
      ),
    ]);
    expect(news2(evaluateAt(state, now, P).conditions)).toEqual(expected);
  });

  // The value's age, not the phone's clock: a resp. rate 28 (NEWS2 3, no rule of its own) typed
  // in at 20 min on a phone whose clock runs 16 min slow raised nothing (found by a review).
  it.each([
    ['20 min', min(20), ['news2_single_3:medium']],
    ['35 min', min(35), ['news2_single_3:medium']],
    ['35 min 1 s', min(35) + 1000, []],
  ])(
    'ages a value from its commit, never from a slow phone clock: at %s -> %j',
    (_at, now, want) => {
      const typed = {
        type: 'vitals.recorded',
        at: iso(min(20)),
        data: {
          readings: [{ kind: 'resp_rate', value: 28, measuredAt: iso(min(4)), source: 'manual' }],
        },
      };
      const { state } = feed(makeEngine(), [typed]);
      expect(
        labels(evaluateAt(state, now, P).conditions).filter((l) => l.startsWith('news2')),
      ).toEqual(want);
    },
  );

  // v1.14: a resp. rate held in the phone's outbox (a tunnel) is as old as its wait when it gets
  // through at 20 min, on the same phone 16 min slow: counted from its commit, one measured 20 min
  // before was fresh (and alarmed) for 15 min more. Without a sentAt (no waitedMs) as before.
  it.each([
    ['waited 20 min, at its commit: missing', 20, min(20), []],
    ['waited 10 min, at its commit: scored', 10, min(20), ['news2_single_3:medium']],
    ['waited 10 min, at 25 min: scored', 10, min(25), ['news2_single_3:medium']],
    ['waited 10 min, at 25 min 1 s: missing', 10, min(25) + 1000, []],
    ['no sentAt, at 35 min: scored, as before', null, min(35), ['news2_single_3:medium']],
  ])(
    'ages a value that waited on the phone from before its commit: %s',
    (_c, waited, now, want) => {
      const measured = iso(min(20 - (waited ?? 0) - 16));
      const reading = { kind: 'resp_rate', value: 28, measuredAt: measured, source: 'manual' };
      const typed = {
        type: 'vitals.recorded',
        at: iso(min(20)),
        data: { readings: [waited === null ? reading : { ...reading, waitedMs: waited * 60_000 }] },
      };
      const { state } = feed(makeEngine(), [typed]);
      expect(
        labels(evaluateAt(state, now, P).conditions).filter((l) => l.startsWith('news2')),
      ).toEqual(want);
    },
  );
});
