import { evaluatePreDoseGate, type PreDoseScreening } from './pre-dose-gate';
import { DEFAULT_ORAL_PROTOCOL as P } from './protocol';
import { makeScreening } from './testing/factories';

const codes = (s: PreDoseScreening): string[] =>
  evaluatePreDoseGate(s, P).reasons.map((r) => r.code);

describe('evaluatePreDoseGate', () => {
  // CLINICAL.md: caution above 140/90; no-go above 160/90 or HR above 100. "Above 160/90"
  // includes any diastolic above 90, so the caution band is systolic 141-160 with DBP <= 90.
  it.each([
    [140, 90, 72, 'go'],
    [141, 90, 72, 'caution'],
    [140, 91, 72, 'no_go'],
    [141, 91, 72, 'no_go'],
    [160, 90, 72, 'caution'],
    [161, 90, 72, 'no_go'],
    [161, 80, 72, 'no_go'],
    [120, 80, 100, 'go'],
    [120, 80, 101, 'no_go'],
    [150, 85, 101, 'no_go'],
  ])('BP %i/%i HR %i is %s', (sbp, dbp, hr, status) => {
    expect(evaluatePreDoseGate(makeScreening({ sbp, dbp, hr }), P).status).toBe(status);
  });

  it('explains a no-go in plain language, naming the value and the limit', () => {
    const result = evaluatePreDoseGate(makeScreening({ sbp: 165, dbp: 85 }), P);
    expect(result.reasons).toEqual([
      { code: 'bp_no_go', message: 'Blood pressure 165/85 is above the no-go limit of 160/90.' },
    ]);
    expect(result.overridable).toBe(true);
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
    expect(codes(makeScreening(change))).toContain(code);
  });

  it('needs no SpO2, PHQ-9 or GAD-7 to go', () => {
    const result = evaluatePreDoseGate(makeScreening({ spo2: undefined }), P);
    expect(result.status).toBe('go');
    expect(result.phq9Total).toBeNull();
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

  it.each([
    [{ spo2: 93 }, 'spo2_low'],
    [{ moaasBaseline: 4 }, 'moaas_not_alert'],
    [{ phq9: [0, 0, 0, 0, 0, 0, 0, 0, 1] }, 'phq9_item9'],
  ] as Array<[Partial<PreDoseScreening>, string]>)('is caution with %j', (change, code) => {
    expect(evaluatePreDoseGate(makeScreening(change), P).status).toBe('caution');
    expect(codes(makeScreening(change))).toContain(code);
  });

  it('goes at SpO2 94', () => {
    expect(evaluatePreDoseGate(makeScreening({ spo2: 94 }), P).status).toBe('go');
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

  it('uses overridden limits', () => {
    const protocol = {
      ...P,
      preDose: { ...P.preDose, noGoDbp: { ...P.preDose.noGoDbp, value: 95 } },
    };
    expect(evaluatePreDoseGate(makeScreening({ sbp: 130, dbp: 93 }), protocol).status).toBe(
      'caution',
    );
  });
});
