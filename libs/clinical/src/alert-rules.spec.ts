import type { AlertPriority, ReadingKind, SessionEvent } from '@vigil/contracts';
import { applyEvent, createAlertEngineState } from './alert-rules';
import type { AlertEngineContext, Condition } from './alert-types';
import { DEFAULT_ORAL_PROTOCOL as P, PRIORITY_RANK } from './protocol';
import { applyOverrides } from './protocol-overrides';
import {
  checkInEvent,
  feed,
  findCondition as find,
  iso,
  labels,
  makeEngine,
  T0,
  vitalsEvent,
} from './testing/factories';

/** One discrete reading at T0 (typed in by hand, so no stream delay applies). */
function judgeOne(kind: ReadingKind, value: number, context: Partial<AlertEngineContext> = {}) {
  return feed(makeEngine(context), [vitalsEvent(T0, [[kind, value]], 'manual')]).conditions;
}

type Row = [ReadingKind, number, string, AlertPriority | null, string];

describe('vital-sign limits on discrete readings (CLINICAL.md v2 alert table)', () => {
  it.each([
    // SpO2 <= 91 high, 92-93 medium
    ['spo2', 90, 'spo2_low', 'high', 'SpO2 90 % (limit 91)'],
    ['spo2', 91, 'spo2_low', 'high', 'SpO2 91 % (limit 91)'],
    ['spo2', 92, 'spo2_low', 'medium', 'SpO2 92 % (limit 93)'],
    ['spo2', 93, 'spo2_low', 'medium', 'SpO2 93 % (limit 93)'],
    ['spo2', 94, 'spo2_low', null, ''],
    // resp. rate <= 8 high
    ['resp_rate', 7, 'rr_low', 'high', 'Resp. rate 7 (limit 8)'],
    ['resp_rate', 8, 'rr_low', 'high', 'Resp. rate 8 (limit 8)'],
    ['resp_rate', 9, 'rr_low', null, ''],
    // SBP >= 180, DBP >= 110 high
    ['bp_systolic', 179, 'sbp_high', null, ''],
    ['bp_systolic', 180, 'sbp_high', 'high', 'SBP 180 (limit 180)'],
    ['bp_systolic', 181, 'sbp_high', 'high', 'SBP 181 (limit 180)'],
    ['bp_diastolic', 109, 'dbp_high', null, ''],
    ['bp_diastolic', 110, 'dbp_high', 'high', 'DBP 110 (limit 110)'],
    ['bp_diastolic', 111, 'dbp_high', 'high', 'DBP 111 (limit 110)'],
    // HR > 120 medium
    ['heart_rate', 119, 'hr_high', null, ''],
    ['heart_rate', 120, 'hr_high', null, ''],
    ['heart_rate', 121, 'hr_high', 'medium', 'HR 121 (limit 120)'],
  ] as Row[])('%s %d -> %s %s', (kind, value, code, priority, message) => {
    const c = find(judgeOne(kind, value), code);
    if (priority === null) expect(c).toBeUndefined();
    else expect(c).toMatchObject({ priority, message, value, since: iso(T0) });
  });
});

describe('per-patient limits within their bounds move the rules', () => {
  const by = { reason: 'Known chronic hypoxaemia', by: 'dr-lee', at: iso(T0) };
  const { protocol } = applyOverrides(P, [
    { setting: 'spo2Low', value: 88, ...by },
    { setting: 'spo2Borderline', value: 90, ...by },
    { setting: 'hrHigh', value: 100, ...by },
    { setting: 'sbpHigh', value: 160, ...by },
    { setting: 'rrLow', value: 10, ...by },
  ]);
  const judged = (kind: ReadingKind, value: number) =>
    feed(makeEngine(), [vitalsEvent(T0, [[kind, value]], 'manual')], protocol).conditions;

  it.each([
    ['spo2', 87, 'spo2_low:high'],
    ['spo2', 88, 'spo2_low:high'],
    ['spo2', 89, 'spo2_low:medium'],
    ['spo2', 90, 'spo2_low:medium'],
    ['spo2', 91, null],
    ['heart_rate', 100, null],
    ['heart_rate', 101, 'hr_high:medium'],
    ['bp_systolic', 159, null],
    ['bp_systolic', 160, 'sbp_high:high'],
    ['resp_rate', 10, 'rr_low:high'],
    ['resp_rate', 11, null],
  ] as Array<[ReadingKind, number, string | null]>)('%s %d -> %s', (kind, value, label) => {
    const direct = labels(judged(kind, value)).filter((l) => !l.startsWith('news2'));
    expect(direct).toEqual(label === null ? [] : [label]);
  });
});

describe('precision (v2): rules and messages use the rounded reading', () => {
  it.each([
    ['heart_rate', 120.4, 'hr_high', null, ''],
    ['heart_rate', 120.5, 'hr_high', 'medium', 'HR 121 (limit 120)'],
    ['heart_rate', 120.6, 'hr_high', 'medium', 'HR 121 (limit 120)'],
    ['spo2', 91.4, 'spo2_low', 'high', 'SpO2 91 % (limit 91)'],
    ['spo2', 91.5, 'spo2_low', 'medium', 'SpO2 92 % (limit 93)'],
    ['spo2', 93.4, 'spo2_low', 'medium', 'SpO2 93 % (limit 93)'],
    ['spo2', 93.5, 'spo2_low', null, ''],
    ['resp_rate', 8.4, 'rr_low', 'high', 'Resp. rate 8 (limit 8)'],
    ['resp_rate', 8.5, 'rr_low', null, ''],
    ['bp_systolic', 179.4, 'sbp_high', null, ''],
    ['bp_systolic', 179.5, 'sbp_high', 'high', 'SBP 180 (limit 180)'],
    ['bp_diastolic', 109.4, 'dbp_high', null, ''],
    ['bp_diastolic', 109.5, 'dbp_high', 'high', 'DBP 110 (limit 110)'],
  ] as Row[])('%s %d -> %s %s', (kind, value, code, priority, message) => {
    const c = find(judgeOne(kind, value), code);
    if (priority === null) expect(c).toBeUndefined();
    else expect(c).toMatchObject({ priority, message, value: Math.round(value) });
  });

  it.each([
    [35.04, 'Temp 35 °C'],
    [35.05, null],
  ])('scores temperature %d at 0.1 C precision for NEWS2 (%s)', (value, part) => {
    const c = find(judgeOne('temperature', value), 'news2_single_3');
    if (part === null) expect(c).toBeUndefined();
    else expect(c?.message).toContain(part);
  });

  it('never shows a value on the wrong side of its limit, whatever the raw value', () => {
    for (let raw = 115; raw <= 125; raw += 0.05) {
      const c = find(judgeOne('heart_rate', raw), 'hr_high');
      if (!c) continue;
      const [, shown, limit] = /^HR (\d+) \(limit (\d+)\)$/.exec(c.message) ?? [];
      expect(Number(shown)).toBeGreaterThan(Number(limit));
    }
  });
});

describe('MOAA/S (v2): 5-4 alert, 4 below a pre-dose 5 is sedation (info), 3 medium, <= 2 high', () => {
  const afterCheckIn = (moaas: number, preDoseMoaas: number | null = 5) =>
    feed(makeEngine({ preDoseMoaas }), [checkInEvent(T0, { moaas })]).conditions;

  it.each([
    [5, []],
    [4, ['sedation:info']],
    [3, ['moaas_low:medium']],
    [2, ['moaas_low:high']],
    [1, ['moaas_low:high']],
    [0, ['moaas_low:high']],
  ])('MOAA/S %i after a pre-dose 5 -> %j', (moaas, expected) => {
    expect(labels(afterCheckIn(moaas))).toEqual(expected);
  });

  it.each([
    [4, 'Drowsy: MOAA/S 4, pre-dose 5', 'sedation'],
    [3, 'MOAA/S 3 (limit 3)', 'moaas_low'],
    [2, 'MOAA/S 2 (limit 2)', 'moaas_low'],
    [1, 'MOAA/S 1 (limit 2)', 'moaas_low'],
  ])('MOAA/S %i is described as "%s"', (moaas, message, code) => {
    expect(find(afterCheckIn(moaas), code)?.message).toBe(message);
  });

  it('shows no sedation when MOAA/S 4 is the pre-dose value', () => {
    expect(afterCheckIn(4, 4)).toEqual([]);
  });

  it('raises neither a medium nor a NEWS2 alert for MOAA/S 4, even with every NEWS2 value', () => {
    const { conditions } = feed(makeEngine({ supplementalOxygen: false, preDoseMoaas: 5 }), [
      checkInEvent(T0, { moaas: 4 }),
      vitalsEvent(
        T0,
        [
          ['resp_rate', 16],
          ['spo2', 98],
          ['bp_systolic', 120],
          ['heart_rate', 70],
          ['temperature', 37],
        ],
        'manual',
      ),
    ]);
    expect(labels(conditions)).toEqual(['sedation:info']);
  });
});

describe('BP rise over the pre-dose baseline (folded into sbp_high / dbp_high)', () => {
  const baseline = { sbp: 130, dbp: 80, hr: 70 };

  it.each([
    ['bp_systolic', 169, 'sbp_high', null],
    ['bp_systolic', 170, 'sbp_high', 'medium'],
    ['bp_systolic', 171, 'sbp_high', 'medium'],
    ['bp_systolic', 169.5, 'sbp_high', 'medium'],
    ['bp_diastolic', 104, 'dbp_high', null],
    ['bp_diastolic', 105, 'dbp_high', 'medium'],
    ['bp_diastolic', 106, 'dbp_high', 'medium'],
    ['bp_diastolic', 104.4, 'dbp_high', null],
  ] as Array<[ReadingKind, number, string, AlertPriority | null]>)(
    'baseline 130/80, %s %d -> %s %s',
    (kind, value, code, priority) => {
      const conditions = judgeOne(kind, value, { baseline });
      expect(find(conditions, code)?.priority ?? null).toBe(priority);
      expect(conditions.map((c) => c.condition)).not.toContain('sbp_rise');
      expect(conditions.map((c) => c.condition)).not.toContain('dbp_rise');
    },
  );

  it('names the rise, the limit and the baseline', () => {
    expect(find(judgeOne('bp_systolic', 170, { baseline }), 'sbp_high')?.message).toBe(
      'SBP up 40 (limit +40)',
    );
    expect(find(judgeOne('bp_diastolic', 106, { baseline }), 'dbp_high')?.message).toBe(
      'DBP up 26 (limit +25)',
    );
  });

  it('is one alert when the rise goes on to cross the absolute limit', () => {
    const conditions = judgeOne('bp_systolic', 185, { baseline });
    expect(labels(conditions)).toEqual(['sbp_high:high']);
    expect(find(conditions, 'sbp_high')?.message).toBe('SBP 185 (limit 180)');
  });

  it('names the half of the BP that crossed its limit', () => {
    const pair = (sbp: number, dbp: number) =>
      feed(makeEngine(), [
        vitalsEvent(
          T0,
          [
            ['bp_systolic', sbp],
            ['bp_diastolic', dbp],
          ],
          'manual',
        ),
      ]).conditions;
    expect(find(pair(186, 95), 'sbp_high')?.message).toBe('SBP 186 (limit 180)');
    expect(find(pair(150, 112), 'dbp_high')?.message).toBe('DBP 112 (limit 110)');
  });

  it('raises no rise without a baseline', () => {
    expect(judgeOne('bp_systolic', 179)).toEqual([]);
  });
});

describe('readings as they arrive', () => {
  it('clears a discrete condition at once when a later discrete reading is within limits', () => {
    const { conditions } = feed(makeEngine(), [
      vitalsEvent(T0, [['bp_systolic', 186]]),
      vitalsEvent(T0 + 1000, [['bp_systolic', 150]]),
    ]);
    expect(find(conditions, 'sbp_high')).toBeUndefined();
  });

  it('accepts a contracts SessionEvent as it is stored', () => {
    const event: SessionEvent = {
      sessionId: 's1',
      seq: 7,
      type: 'vitals.recorded',
      at: iso(T0),
      actorId: null,
      data: {
        readings: [{ kind: 'heart_rate', value: 130, measuredAt: iso(T0), source: 'manual' }],
      },
    };
    const { conditions } = applyEvent(createAlertEngineState({ baseline: null }), event, P);
    expect(find(conditions, 'hr_high')?.message).toBe('HR 130 (limit 120)');
  });

  it('ignores implausible readings', () => {
    expect(judgeOne('spo2', 20)).toEqual([]);
  });

  it('sorts the conditions by priority', () => {
    const { conditions } = feed(makeEngine({ preDoseMoaas: 5 }), [
      vitalsEvent(T0, [['heart_rate', 130]], 'manual'),
      checkInEvent(T0, { moaas: 4 }),
      vitalsEvent(T0, [['resp_rate', 6]]),
    ]);
    const ranks = conditions.map((c: Condition) => PRIORITY_RANK[c.priority]);
    expect(ranks).toEqual([...ranks].sort((a, b) => b - a));
    expect(labels(conditions)).toEqual([
      'rr_low:high',
      'hr_high:medium',
      'news2_medium:medium',
      'sedation:info',
    ]);
  });
});
