import type { AlertPriority, ReadingKind, SessionEvent, SymptomCode } from '@vigil/contracts';
import { applyEvent, clearLatched, createAlertEngineState, evaluateAt } from './alert-rules';
import type { AlertEngineContext, AlertEngineState, Condition, EngineEvent } from './alert-types';
import { DEFAULT_ORAL_PROTOCOL as P } from './protocol';
import { checkInEvent, iso, sec, T0, vitalsEvent } from './testing/factories';

function run(events: EngineEvent[], context: Partial<AlertEngineContext> = {}) {
  let state: AlertEngineState = createAlertEngineState({ baseline: null, ...context });
  let conditions: Condition[] = [];
  for (const e of events) ({ state, conditions } = applyEvent(state, e, P));
  return { state, conditions };
}

const find = (conditions: Condition[], code: string) =>
  conditions.find((c) => c.condition === code);

describe('alert rules on discrete readings (CLINICAL.md alert table)', () => {
  it.each([
    // [kind, value, condition, priority or null, message]
    ['spo2', 90, 'spo2_low', 'high', 'SpO2 90 < 91'],
    ['spo2', 91, 'spo2_low', 'high', 'SpO2 91 <= 91'],
    ['spo2', 92, 'spo2_low', 'medium', 'SpO2 92 < 93'],
    ['spo2', 93, 'spo2_low', 'medium', 'SpO2 93 <= 93'],
    ['spo2', 94, 'spo2_low', null, ''],
    ['resp_rate', 7, 'rr_low', 'high', 'RR 7 < 8'],
    ['resp_rate', 8, 'rr_low', 'high', 'RR 8 <= 8'],
    ['resp_rate', 9, 'rr_low', null, ''],
    ['bp_systolic', 179, 'sbp_high', null, ''],
    ['bp_systolic', 180, 'sbp_high', 'high', 'SBP 180 >= 180'],
    ['bp_systolic', 186, 'sbp_high', 'high', 'SBP 186 > 180'],
    ['bp_diastolic', 109, 'dbp_high', null, ''],
    ['bp_diastolic', 110, 'dbp_high', 'high', 'DBP 110 >= 110'],
    ['bp_diastolic', 111, 'dbp_high', 'high', 'DBP 111 > 110'],
    ['heart_rate', 119, 'hr_high', null, ''],
    ['heart_rate', 120, 'hr_high', null, ''],
    ['heart_rate', 121, 'hr_high', 'medium', 'HR 121 > 120'],
  ] as Array<[ReadingKind, number, string, AlertPriority | null, string]>)(
    '%s %i -> %s %s',
    (kind, value, code, priority, message) => {
      const { conditions } = run([vitalsEvent(T0, [[kind, value]])]);
      const c = find(conditions, code);
      if (priority === null) expect(c).toBeUndefined();
      else expect(c).toMatchObject({ priority, message, since: iso(T0) });
    },
  );

  it.each([
    [3, null],
    [2, 'high'],
    [1, 'high'],
  ] as const)('MOAA/S %i -> moaas_low %s', (moaas, priority) => {
    const c = find(run([checkInEvent(T0, { moaas })]).conditions, 'moaas_low');
    expect(c?.priority ?? null).toBe(priority);
  });

  it.each([
    // baseline 130/80: rises of 39/40/41 systolic and 24/25/26 diastolic
    ['bp_systolic', 169, 'sbp_rise', null],
    ['bp_systolic', 170, 'sbp_rise', 'medium'],
    ['bp_systolic', 171, 'sbp_rise', 'medium'],
    ['bp_diastolic', 104, 'dbp_rise', null],
    ['bp_diastolic', 105, 'dbp_rise', 'medium'],
    ['bp_diastolic', 106, 'dbp_rise', 'medium'],
  ] as Array<[ReadingKind, number, string, AlertPriority | null]>)(
    'baseline 130/80, %s %i -> %s %s',
    (kind, value, code, priority) => {
      const { conditions } = run([vitalsEvent(T0, [[kind, value]])], {
        baseline: { sbp: 130, dbp: 80, hr: 70 },
      });
      expect(find(conditions, code)?.priority ?? null).toBe(priority);
    },
  );

  it('names the rise, the limit and the baseline', () => {
    const { conditions } = run([vitalsEvent(T0, [['bp_systolic', 170]])], {
      baseline: { sbp: 130, dbp: 80, hr: 70 },
    });
    expect(find(conditions, 'sbp_rise')?.message).toBe(
      'SBP rise 40 >= 40 over baseline 130 (now 170)',
    );
  });

  it('raises no rise without a baseline', () => {
    expect(
      find(run([vitalsEvent(T0, [['bp_systolic', 179]])]).conditions, 'sbp_rise'),
    ).toBeUndefined();
  });

  it('clears a vital condition when the value returns within limits', () => {
    const { conditions } = run([
      vitalsEvent(T0, [['spo2', 90]]),
      vitalsEvent(sec(60), [['spo2', 96]]),
    ]);
    expect(conditions).toEqual([]);
  });

  it('accepts a contracts SessionEvent as it is stored', () => {
    const event: SessionEvent = {
      sessionId: 's1',
      seq: 7,
      type: 'vitals.recorded',
      at: iso(T0),
      actorId: null,
      data: { clientId: 'c1', readings: [{ kind: 'heart_rate', value: 130, measuredAt: iso(T0) }] },
    };
    const { conditions } = applyEvent(createAlertEngineState({ baseline: null }), event, P);
    expect(find(conditions, 'hr_high')?.message).toBe('HR 130 > 120');
  });

  it('ignores implausible readings', () => {
    expect(run([vitalsEvent(T0, [['spo2', 20]])]).conditions).toEqual([]);
  });
});

describe('NEWS2 conditions', () => {
  const normal: Array<[ReadingKind, number]> = [
    ['resp_rate', 16],
    ['spo2', 98],
    ['bp_systolic', 120],
    ['heart_rate', 70],
    ['temperature', 37],
  ];
  const withVitals = (changes: Array<[ReadingKind, number]>, moaas = 5) => {
    const merged = new Map([...normal, ...changes]);
    return run([checkInEvent(T0, { moaas }), vitalsEvent(T0, [...merged])]).conditions;
  };
  const news2 = (cs: Condition[]) =>
    cs.filter((c) => c.condition.startsWith('news2')).map((c) => [c.condition, c.priority]);

  it.each([
    [
      '4 (RR 21, pulse 111)',
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
      [['news2_medium', 'medium']],
    ],
    [
      '6',
      [
        ['resp_rate', 21],
        ['heart_rate', 111],
        ['spo2', 95],
        ['temperature', 38.1],
      ],
      [['news2_medium', 'medium']],
    ],
    [
      '7',
      [
        ['resp_rate', 21],
        ['heart_rate', 111],
        ['spo2', 95],
        ['temperature', 38.1],
        ['bp_systolic', 101],
      ],
      [['news2_high', 'high']],
    ],
    ['a single 3: pulse 40', [['heart_rate', 40]], [['news2_single_3', 'medium']]],
    ['a single 3: SBP 90', [['bp_systolic', 90]], [['news2_single_3', 'medium']]],
    ['a single 3: temperature 35.0', [['temperature', 35.0]], [['news2_single_3', 'medium']]],
    ['a 3 already raised as hr_high (pulse 131)', [['heart_rate', 131]], []],
    ['a 3 already raised as spo2_low (SpO2 91)', [['spo2', 91]], []],
  ] as Array<[string, Array<[ReadingKind, number]>, string[][]]>)(
    'NEWS2 %s',
    (_name, changes, expected) => {
      expect(news2(withVitals(changes))).toEqual(expected);
    },
  );

  it('scores MOAA/S 4 as CVPU: a single 3', () => {
    expect(news2(withVitals([], 4))).toEqual([['news2_single_3', 'medium']]);
  });

  it('names the missing parameters', () => {
    const cs = withVitals([
      ['resp_rate', 21],
      ['heart_rate', 111],
      ['spo2', 95],
    ]);
    expect(find(cs, 'news2_medium')?.message).toBe('NEWS2 5 >= 5 (missing supplemental_oxygen)');
  });
});

describe('latched conditions', () => {
  it('raises help at once and keeps it until a clinician clears it', () => {
    let { state, conditions } = run([{ type: 'help.requested', at: iso(T0), data: {} }]);
    expect(conditions).toEqual([
      { condition: 'help', priority: 'high', message: 'Help requested', since: iso(T0) },
    ]);
    ({ state, conditions } = evaluateAt(state, sec(3600), P));
    expect(find(conditions, 'help')).toBeDefined();
    state = clearLatched(state, 'help');
    expect(find(evaluateAt(state, sec(3601), P).conditions, 'help')).toBeUndefined();
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
    const { conditions } = run([checkInEvent(T0, { symptoms: [symptom] })]);
    expect(find(conditions, `symptom_${symptom}`)?.priority).toBe('high');
  });

  it('shows vomiting as information only', () => {
    expect(
      find(run([checkInEvent(T0, { symptoms: ['vomiting'] })]).conditions, 'symptom_vomiting')
        ?.priority,
    ).toBe('info');
  });

  it.each([
    [0, null, ''],
    [1, 'medium', 'PHQ-9 item 9 (self-harm thoughts) 1 > 0'],
    [2, 'medium', 'PHQ-9 item 9 (self-harm thoughts) 2 > 0'],
    [3, 'high', 'PHQ-9 item 9 (self-harm thoughts) 3 >= 3'],
  ] as const)('PHQ-9 item 9 = %i -> %s', (item9, priority, message) => {
    const phq9 = [0, 0, 0, 0, 0, 0, 0, 0, item9];
    const c = find(
      run([{ type: 'screening.submitted', at: iso(T0), data: { phq9 } }]).conditions,
      'phq9_item9',
    );
    if (priority === null) expect(c).toBeUndefined();
    else expect(c).toMatchObject({ priority, message });
  });
});

describe('pre-dose caution', () => {
  it.each([
    [{ sbp: 140, dbp: 90, hr: 70 }, null, null],
    [{ sbp: 141, dbp: 85, hr: 70 }, 'info', 'medium'],
    [{ sbp: 130, dbp: 91, hr: 70 }, 'info', 'medium'],
  ] as const)('baseline %j is %s before the dose and %s after', (baseline, before, after) => {
    const { state, conditions } = run([{ type: 'presence.changed', at: iso(T0), data: {} }], {
      baseline,
    });
    expect(find(conditions, 'predose_caution')?.priority ?? null).toBe(before);
    const dosed = applyEvent(
      state,
      { type: 'session.state_changed', at: iso(sec(1)), data: { to: 'dosed' } },
      P,
    );
    expect(find(dosed.conditions, 'predose_caution')?.priority ?? null).toBe(after);
  });

  it('names the BP and the limit', () => {
    const { conditions } = run([{ type: 'presence.changed', at: iso(T0), data: {} }], {
      baseline: { sbp: 150, dbp: 85, hr: 70 },
    });
    expect(find(conditions, 'predose_caution')?.message).toBe('Pre-dose BP 150/85 > 140/90');
  });
});
