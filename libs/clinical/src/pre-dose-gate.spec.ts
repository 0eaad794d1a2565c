import {
  evaluatePreDoseGate,
  noGoBlock,
  noGoMessage,
  type PreDoseScreening,
} from './pre-dose-gate';
import { DEFAULT_ORAL_PROTOCOL as P } from './protocol';
import { makeScreening } from './testing/factories';

const status = (change: Partial<PreDoseScreening>) =>
  evaluatePreDoseGate(makeScreening(change), P).status;
const codes = (change: Partial<PreDoseScreening>): string[] =>
  evaluatePreDoseGate(makeScreening(change), P).reasons.map((r) => r.code);

describe('evaluatePreDoseGate (CLINICAL.md v2 pre-dose screening)', () => {
  // Caution SBP 140-159 or DBP 90-99; no-go SBP >= 160 or DBP >= 100 or HR > 100.
  it.each([
    // SBP: below caution, caution band, no-go
    [139, 80, 72, 'go'],
    [140, 80, 72, 'caution'],
    [141, 80, 72, 'caution'],
    [159, 80, 72, 'caution'],
    [160, 80, 72, 'no_go'],
    [161, 80, 72, 'no_go'],
    // DBP (v2: the caution and no-go limits are no longer shared)
    [120, 89, 72, 'go'],
    [120, 90, 72, 'caution'],
    [120, 91, 72, 'caution'],
    [120, 99, 72, 'caution'],
    [120, 100, 72, 'no_go'],
    [120, 101, 72, 'no_go'],
    // HR > 100
    [120, 80, 99, 'go'],
    [120, 80, 100, 'go'],
    [120, 80, 101, 'no_go'],
    // combinations: the worse one decides
    [159, 99, 100, 'caution'],
    [150, 85, 101, 'no_go'],
    [130, 100, 72, 'no_go'],
  ])('BP %i/%i HR %i is %s', (sbp, dbp, hr, expected) => {
    expect(status({ sbp, dbp, hr })).toBe(expected);
  });

  // SpO2 is required (v2): no-go <= 91, caution 92-93.
  it.each([
    [90, 'no_go', 'spo2_no_go'],
    [91, 'no_go', 'spo2_no_go'],
    [92, 'caution', 'spo2_low'],
    [93, 'caution', 'spo2_low'],
    [94, 'go', null],
  ] as const)('SpO2 %i is %s', (spo2, expected, code) => {
    expect(status({ spo2 })).toBe(expected);
    if (code) expect(codes({ spo2 })).toContain(code);
  });

  it.each([[undefined], [null]])(
    'is incomplete without SpO2 (%p): the oximeter is required',
    (v) => {
      expect(status({ spo2: v })).toBe('incomplete');
      expect(codes({ spo2: v })).toContain('spo2_missing');
    },
  );

  it('lets a clinician override a vital-sign no-go', () => {
    expect(evaluatePreDoseGate(makeScreening({ sbp: 165 }), P).overridable).toBe(true);
    expect(evaluatePreDoseGate(makeScreening({ spo2: 90 }), P).overridable).toBe(true);
  });

  it.each([
    [{ sbp: 165, dbp: 85 }, 'bp_no_go', 'Blood pressure 165/85 >= 160/100 (no-go).'],
    [{ sbp: 160, dbp: 85 }, 'bp_no_go', 'Blood pressure 160/85 >= 160/100 (no-go).'],
    [{ hr: 101 }, 'hr_no_go', 'Heart rate 101 > 100 (no-go).'],
    [{ spo2: 91 }, 'spo2_no_go', 'SpO2 91% <= 91% (no-go).'],
    [{ spo2: 93 }, 'spo2_low', 'SpO2 93% <= 93%.'],
  ] as const)('names the value and the limit for %j', (change, code, message) => {
    const r = evaluatePreDoseGate(makeScreening(change), P).reasons.find((x) => x.code === code);
    expect(r?.message).toBe(message);
  });

  it.each([
    [{ sbp: 172, dbp: 96 }, 'BP 172/96 (no-go 160/100)'],
    [{ sbp: 150, dbp: 100 }, 'BP 150/100 (no-go 160/100)'],
    [{ hr: 101 }, 'HR 101 (no-go 100)'],
    [{ spo2: 90 }, 'SpO2 90 % (no-go 91)'],
    [{ fasting: false }, 'No-go: Not fasted (4 h without food, 2 h without liquids)'],
  ] as const)('gives the no-go alert message for %j', (change, message) => {
    expect(noGoMessage(makeScreening(change), P)).toBe(message);
  });

  it('flags a caution session', () => {
    expect(evaluatePreDoseGate(makeScreening({ sbp: 150 }), P).flags).toContain('predose_caution');
  });

  it.each([
    [{ sbp: null }, 'bp_systolic_missing'],
    [{ dbp: undefined }, 'bp_diastolic_missing'],
    [{ hr: null }, 'heart_rate_missing'],
    [{ sbp: 400 }, 'bp_systolic_implausible'],
    [{ supportPerson: null }, 'support_person_missing'],
    [
      { supportPerson: { adult: true, presentWholeSession: true, name: '', phone: '1' } },
      'support_person_contact',
    ],
    [{ fasting: null }, 'fasting_missing'],
    [{ noRecentSubstances: undefined }, 'substances_missing'],
    [{ moaasBaseline: null }, 'moaas_missing'],
    [{ phq9: [0, 0, 0] }, 'phq9_invalid'],
    [{ gad7: [0, 0, 0, 0, 0, 0, 4] }, 'gad7_invalid'],
  ] as Array<[Partial<PreDoseScreening>, string]>)('is incomplete with %j (%s)', (change, code) => {
    const result = evaluatePreDoseGate(makeScreening(change), P);
    expect(result.status).toBe('incomplete');
    expect(result.overridable).toBe(false);
    expect(codes(change)).toContain(code);
  });

  it.each([
    [
      { supportPerson: { adult: false, presentWholeSession: true, name: 'Kid', phone: '1' } },
      'support_person_not_adult',
      false,
    ],
    [
      { supportPerson: { adult: true, presentWholeSession: false, name: 'Sam', phone: '1' } },
      'support_person_not_present',
      false,
    ],
    [{ fasting: false }, 'not_fasting', true],
    [{ noRecentSubstances: false }, 'recent_substances', true],
  ] as Array<[Partial<PreDoseScreening>, string, boolean]>)(
    'is no-go with %j',
    (change, code, overridable) => {
      const result = evaluatePreDoseGate(makeScreening(change), P);
      expect(result.status).toBe('no_go');
      expect(result.overridable).toBe(overridable);
      expect(result.reasons.map((r) => r.code)).toContain(code);
    },
  );

  // "No-go ... dosing is blocked until a clinician overrides ... the clinician sees every reading":
  // a no-go reading is not sent back as an incomplete form, and no override lifts it until the
  // screening is complete.
  it.each([
    [{ sbp: 172, dbp: 96, fasting: null }, 'bp_no_go', 'fasting_missing'],
    [{ spo2: 90, moaasBaseline: null }, 'spo2_no_go', 'moaas_missing'],
    [{ hr: 101, sbp: null }, 'hr_no_go', 'bp_systolic_missing'],
  ] as Array<[Partial<PreDoseScreening>, string, string]>)(
    'is no-go, not incomplete, with %j, and not overridable until complete',
    (change, noGo, missing) => {
      const result = evaluatePreDoseGate(makeScreening(change), P);
      expect(result.status).toBe('no_go');
      expect(result.overridable).toBe(false);
      expect(codes(change)).toEqual(expect.arrayContaining([noGo, missing]));
      expect(noGoBlock(result).code).toBe('screening_incomplete');
    },
  );

  it.each([
    [{ moaasBaseline: 4 }, 'moaas_not_alert'],
    [{ phq9: [0, 0, 0, 0, 0, 0, 0, 0, 1] }, 'phq9_item9'],
  ] as Array<[Partial<PreDoseScreening>, string]>)('is caution with %j', (change, code) => {
    expect(status(change)).toBe('caution');
    expect(codes(change)).toContain(code);
  });

  it('flags BP-raising medicines without blocking', () => {
    const result = evaluatePreDoseGate(makeScreening({ concomitantBpRaisingMeds: true }), P);
    expect(result).toMatchObject({ status: 'go', flags: ['concomitant_bp_meds'] });
  });

  it('totals PHQ-9 and GAD-7', () => {
    const result = evaluatePreDoseGate(
      makeScreening({ phq9: [1, 1, 1, 1, 1, 1, 1, 1, 0], gad7: [3, 3, 3, 3, 3, 3, 3] }),
      P,
    );
    expect([result.phq9Total, result.gad7Total]).toEqual([8, 21]);
  });

  it('uses the protocol limits it is given', () => {
    const protocol = {
      ...P,
      preDose: { ...P.preDose, noGoDbp: { ...P.preDose.noGoDbp, value: 105 } },
    };
    expect(evaluatePreDoseGate(makeScreening({ sbp: 130, dbp: 102 }), protocol).status).toBe(
      'caution',
    );
  });

  // Precision (v2): rules and messages use readings rounded to whole numbers.
  it.each([
    [{ hr: 100.4 }, 'go'],
    [{ hr: 100.5 }, 'no_go'],
    [{ sbp: 159.4 }, 'caution'],
    [{ sbp: 159.5 }, 'no_go'],
    [{ dbp: 89.4 }, 'go'],
    [{ dbp: 89.5 }, 'caution'],
    [{ spo2: 91.5 }, 'caution'],
    [{ spo2: 91.4 }, 'no_go'],
  ] as const)('judges %j rounded to whole numbers: %s', (change, expected) => {
    expect(status(change)).toBe(expected);
  });

  it('names the rounded value in a no-go message', () => {
    expect(noGoMessage(makeScreening({ hr: 100.6 }), P)).toBe('HR 101 (no-go 100)');
  });
});
