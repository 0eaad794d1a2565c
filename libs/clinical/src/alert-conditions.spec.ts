import type { ReadingKind, SymptomCode } from '@vigil/contracts';
import { announceLatched, clearLatched, evaluateAt } from './alert-rules';
import type { AlertEngineContext, Condition } from './alert-types';
import { DEFAULT_ORAL_PROTOCOL as P } from './protocol';
import { news2ParametersNamed } from './vital-rules';
import {
  checkInEvent,
  feed,
  findCondition as find,
  helpEvent,
  iso,
  labels,
  makeEngine,
  makeScreening,
  min,
  screeningEvent,
  sec,
  stateEvent,
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

describe('latched conditions', () => {
  it('raises help at once and keeps it until a clinician clears it', () => {
    let { state, conditions } = feed(makeEngine(), [helpEvent(T0)]);
    expect(find(conditions, 'help')).toEqual({
      condition: 'help',
      priority: 'high',
      message: 'Help requested',
      since: iso(T0),
      count: 1,
    });
    ({ state, conditions } = evaluateAt(state, sec(3600), P));
    expect(find(conditions, 'help')).toBeDefined();
    // The API's pass raised its alert (announced it); the clinician resolves that alert.
    state = clearLatched(announceLatched(state), 'help');
    expect(find(evaluateAt(state, sec(3601), P).conditions, 'help')).toBeUndefined();
  });

  it('keeps a press no alert announced yet when the clinician clears the ones it did', () => {
    // Two presses announced (the help alert says 2 presses), then a third committed just before
    // the clinician's resolve and judged after it (review rclin: the watchdog's catch-up).
    let { state } = feed(makeEngine(), [helpEvent(T0), helpEvent(sec(30))]);
    state = announceLatched(state);
    ({ state } = feed(state, [helpEvent(sec(50))]));
    state = clearLatched(state, 'help');
    expect(find(evaluateAt(state, sec(51), P).conditions, 'help')).toEqual({
      condition: 'help',
      priority: 'high',
      message: 'Help requested',
      since: iso(sec(50)),
      count: 1,
    });
    // Once its own alert has announced it, the next resolve clears it.
    state = clearLatched(announceLatched(state), 'help');
    expect(find(evaluateAt(state, sec(52), P).conditions, 'help')).toBeUndefined();
  });

  it('keeps an unannounced symptom report by itself; a state stored before it was kept clears', () => {
    const report = (at: number) => checkInEvent(at, { symptoms: ['chest_pain'] });
    let { state } = feed(makeEngine(), [report(T0)]);
    state = announceLatched(state);
    ({ state } = feed(state, [report(sec(60))]));
    expect(
      find(
        evaluateAt(clearLatched(state, 'symptom_chest_pain'), sec(61), P).conditions,
        'symptom_chest_pain',
      ),
    ).toMatchObject({ count: 1, since: iso(sec(60)) });
    const stored = { ...state };
    delete stored.unannounced;
    expect(
      find(
        evaluateAt(clearLatched(stored, 'symptom_chest_pain'), sec(61), P).conditions,
        'symptom_chest_pain',
      ),
    ).toBeUndefined();
  });

  it('counts repeated help presses', () => {
    const { conditions } = feed(makeEngine(), [
      helpEvent(T0),
      helpEvent(sec(30)),
      helpEvent(sec(40)),
    ]);
    expect(find(conditions, 'help')).toMatchObject({
      priority: 'high',
      message: 'Help requested (3 presses)',
      count: 3,
      since: iso(T0),
    });
  });

  it.each([
    'chest_pain',
    'shortness_of_breath',
    'severe_headache',
    'vision_change',
    'seizure',
    'diminished_consciousness',
    'focal_weakness',
  ] as SymptomCode[])('raises %s as a high emergency symptom at once', (symptom) => {
    const { conditions } = feed(makeEngine(), [checkInEvent(T0, { symptoms: [symptom] })]);
    expect(find(conditions, `symptom_${symptom}`)?.priority).toBe('high');
  });

  it('counts a repeated symptom report', () => {
    const report = (at: number) => checkInEvent(at, { symptoms: ['chest_pain'] });
    const { conditions } = feed(makeEngine(), [report(T0), report(sec(60))]);
    expect(find(conditions, 'symptom_chest_pain')).toMatchObject({ count: 2, priority: 'high' });
  });

  it('shows vomiting as information only', () => {
    const { conditions } = feed(makeEngine(), [checkInEvent(T0, { symptoms: ['vomiting'] })]);
    expect(find(conditions, 'symptom_vomiting')?.priority).toBe('info');
  });

  it.each([
    [0, null, ''],
    [1, 'medium', 'Self-harm thoughts (1/3)'],
    [2, 'medium', 'Self-harm thoughts (2/3)'],
    [3, 'high', 'Self-harm thoughts (3/3)'],
  ] as const)('PHQ-9 item 9 = %i -> %s', (item9, priority, message) => {
    const phq9 = [0, 0, 0, 0, 0, 0, 0, 0, item9];
    const { conditions } = feed(makeEngine(), [screeningEvent(T0, makeScreening({ phq9 }))]);
    const c = find(conditions, 'phq9_item9');
    if (priority === null) expect(c).toBeUndefined();
    else expect(c).toMatchObject({ priority, message });
  });
});

describe('pre-dose caution (SBP 140-159 or DBP 90-99): info before the dose, medium after', () => {
  it.each([
    [139, 89, null],
    [140, 80, 'info'],
    [159, 80, 'info'],
    [120, 90, 'info'],
    [120, 99, 'info'],
  ] as const)('screening %i/%i -> %s, then medium once dosed', (sbp, dbp, before) => {
    const { state, conditions } = feed(makeEngine({ sessionState: 'screening' }), [
      screeningEvent(T0, makeScreening({ sbp, dbp })),
    ]);
    expect(find(conditions, 'predose_caution')?.priority ?? null).toBe(before);
    const dosed = feed(state, [stateEvent(sec(1), 'dosed')]).conditions;
    expect(find(dosed, 'predose_caution')?.priority ?? null).toBe(before && 'medium');
  });

  it('names the BP and the limits', () => {
    const { conditions } = feed(makeEngine(), [screeningEvent(T0, makeScreening({ sbp: 150 }))]);
    expect(find(conditions, 'predose_caution')?.message).toBe('BP 150/80 (caution 140/90)');
  });
});

describe('pre-dose no-go (v2): a medium alert until the clinician decides', () => {
  const noGo = () =>
    feed(makeEngine({ sessionState: 'screening' }), [
      screeningEvent(T0, makeScreening({ sbp: 172, dbp: 96 })),
    ]);

  it.each([
    [{ sbp: 159, dbp: 99, hr: 100, spo2: 92 }, null],
    [{ sbp: 160 }, 'BP 160/80 (no-go 160/100)'],
    [{ dbp: 100 }, 'BP 120/100 (no-go 160/100)'],
    [{ hr: 101 }, 'HR 101 (no-go 100)'],
    [{ spo2: 91 }, 'SpO2 91 % (no-go 91)'],
  ] as const)('screening %j -> %s', (change, message) => {
    const { conditions } = feed(makeEngine({ sessionState: 'screening' }), [
      screeningEvent(T0, makeScreening(change)),
    ]);
    const c = find(conditions, 'predose_no_go');
    if (message === null) expect(c).toBeUndefined();
    else expect(c).toMatchObject({ priority: 'medium', message });
  });

  it('sounds for a no-go reading in a screening with a question unanswered', () => {
    const { conditions } = feed(makeEngine({ sessionState: 'screening' }), [
      screeningEvent(T0, makeScreening({ sbp: 172, dbp: 96, fasting: undefined })),
    ]);
    expect(labels(conditions)).toEqual(['predose_no_go:medium']);
  });

  it('shows the no-go, not a second caution alert for the same reading', () => {
    expect(labels(noGo().conditions)).toEqual(['predose_no_go:medium']);
    expect(find(noGo().conditions, 'predose_no_go')?.message).toBe('BP 172/96 (no-go 160/100)');
  });

  it('stays after a later go reading', () => {
    const { conditions } = feed(noGo().state, [screeningEvent(min(11), makeScreening())]);
    expect(labels(conditions)).toContain('predose_no_go:medium');
    expect(labels(evaluateAt(noGo().state, min(60), P).conditions)).toContain(
      'predose_no_go:medium',
    );
  });

  it.each([
    ['a pre-dose override', stateEvent(min(12), 'ready', { gate: 'pre_dose', override: {} })],
    ['the dose', stateEvent(min(12), 'dosed')],
    ['an abort', stateEvent(min(12), 'aborted')],
  ])('is cleared by %s', (_name, event) => {
    expect(find(feed(noGo().state, [event]).conditions, 'predose_no_go')).toBeUndefined();
  });
});

describe('no alert outlives its session (v2)', () => {
  const busy = (context: Partial<AlertEngineContext> = {}) =>
    feed(makeEngine({ sessionState: 'monitoring', dosedAt: iso(T0), ...context }), [
      helpEvent(min(1)),
      vitalsEvent(min(1), [['bp_systolic', 190]]),
      checkInEvent(min(1), { symptoms: ['chest_pain'], moaas: 2 }),
    ]).state;

  it.each([['ended'], ['aborted']] as const)('presents nothing once %s', (to) => {
    const { state, conditions } = feed(busy(), [stateEvent(min(2), to)]);
    expect(conditions).toEqual([]);
    expect(evaluateAt(state, min(90), P).conditions).toEqual([]);
    const after = feed(state, [helpEvent(min(3)), vitalsEvent(min(3), [['spo2', 80]])]);
    expect(after.conditions).toEqual([]);
  });
});
