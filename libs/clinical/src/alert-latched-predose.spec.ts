import type { SymptomCode } from '@vigil/contracts';
import { announceLatched, clearLatched, evaluateAt } from './alert-rules';
import type { AlertEngineContext } from './alert-types';
import { DEFAULT_ORAL_PROTOCOL as P } from './protocol';
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
