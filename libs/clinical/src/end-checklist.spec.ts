import { evaluateEndChecklist } from './end-checklist';
import { DEFAULT_ORAL_PROTOCOL as P } from './protocol';
import { transition } from './state-machine';
import { iso, makeScreening, makeSnapshot, min, T0 } from './testing/factories';

const OVERRIDE = { reason: 'Discussed with patient, BP stable', by: 'dr-lee', at: iso(T0) };
const SIGN_OFF = { type: 'sign_off' } as const;
const reasonCodes = (r: ReturnType<typeof transition>) =>
  r.ok ? [] : r.reasons.map((x) => x.code);

describe('sign_off (CLINICAL.md v2 "Recovery and end")', () => {
  // >= 120 min since the dose; no override makes an earlier end a normal end.
  it.each([
    [min(119), false],
    [min(120) - 1000, false],
    [min(120), true],
    [min(121), true],
  ])('at %i ms after a dose at T0 may end: %s', (now, ok) => {
    const result = transition(makeSnapshot(), SIGN_OFF, iso(now), P);
    expect(result.ok).toBe(ok);
    if (!result.ok) expect(reasonCodes(result)).toEqual(['min_monitoring', 'too_early']);
  });

  it.each([[min(60)], [min(119)], [min(120) - 1000]])(
    'refuses an end at %i ms even with an end override: an early end is an abort',
    (now) => {
      const result = transition(makeSnapshot({ endOverride: OVERRIDE }), SIGN_OFF, iso(now), P);
      expect(reasonCodes(result)).toContain('too_early');
    },
  );

  it('lets the session be aborted early with a reason instead', () => {
    const result = transition(
      makeSnapshot({ state: 'monitoring' }),
      { type: 'abort', reason: 'Patient wants to stop' },
      iso(min(60)),
      P,
    );
    expect(result).toEqual({ ok: true, to: 'aborted', flags: [] });
  });

  it.each([
    ['spo2_low'],
    ['rr_low'],
    ['symptom_shortness_of_breath'],
    ['news2_single_3'],
    // One cause, one alert: MOAA/S <= 3 scores consciousness 3 in NEWS2, raised as moaas_low.
    ['moaas_low'],
  ])('refuses an open breathing alert (%s) even with an end override', (code) => {
    const result = transition(
      makeSnapshot({ openConditions: [code], endOverride: OVERRIDE, latestMoaas: 5 }),
      SIGN_OFF,
      iso(min(121)),
      P,
    );
    expect(reasonCodes(result)).toEqual(['no_breathing_concern', 'breathing_concern']);
  });

  it.each([
    ['MOAA/S below pre-dose', { latestMoaas: 4 }, 'moaas_baseline'],
    ['dissociation unresolved', { latestDissociation: 2 }, 'dissociation_resolved'],
    ['no fresh BP', { latestBp: null }, 'bp_acceptable'],
  ] as const)('needs an end override to waive %s', (_name, change, code) => {
    const blocked = transition(makeSnapshot(change), SIGN_OFF, iso(min(121)), P);
    expect(reasonCodes(blocked)).toEqual([code, 'override_required']);
    const waived = transition(
      makeSnapshot({ ...change, endOverride: OVERRIDE }),
      SIGN_OFF,
      iso(min(121)),
      P,
    );
    expect(waived).toEqual({ ok: true, to: 'ended', flags: ['ended_early_override'] });
  });

  it('refuses an end override with a blank reason', () => {
    const snapshot = makeSnapshot({ latestMoaas: 4, endOverride: { ...OVERRIDE, reason: ' ' } });
    expect(transition(snapshot, SIGN_OFF, iso(min(121)), P).ok).toBe(false);
  });
});

describe('evaluateEndChecklist', () => {
  const at120 = iso(min(120));
  const failing = (o: Parameters<typeof makeSnapshot>[0], now = at120) =>
    evaluateEndChecklist(makeSnapshot(o), now, P).reasons.map((r) => r.code);

  it('is ready at 120 minutes when every item holds, and records ready-to-leave minutes', () => {
    const result = evaluateEndChecklist(makeSnapshot(), at120, P);
    expect(result).toMatchObject({
      ready: true,
      reasons: [],
      minutesSinceDose: 120,
      readyToLeaveMinutes: 120,
    });
  });

  it('names both limits when BP is acceptable by neither', () => {
    const snapshot = makeSnapshot({
      screening: makeScreening({ sbp: 150, dbp: 85 }),
      latestBp: { sbp: 145, dbp: 90, at: iso(min(115)) },
      previousBp: null,
    });
    expect(evaluateEndChecklist(snapshot, at120, P).reasons[0].message).toBe(
      'Blood pressure 145/90 is not at or below 140/90 nor 150/85 and not falling.',
    );
  });

  it('is not ready one second before 120 minutes', () => {
    expect(failing({}, iso(min(120) - 1000))).toEqual(['min_monitoring']);
  });

  // BP acceptable: <= 140/90 or <= the pre-dose value, or falling, from a reading < 15 min old.
  it.each([
    ['BP at 140/90', { latestBp: { sbp: 140, dbp: 90, at: iso(min(115)) } }, []],
    ['SBP 141', { latestBp: { sbp: 141, dbp: 80, at: iso(min(115)) } }, ['bp_acceptable']],
    ['DBP 91', { latestBp: { sbp: 130, dbp: 91, at: iso(min(115)) } }, ['bp_acceptable']],
    [
      'BP above 140/90, not falling',
      {
        latestBp: { sbp: 150, dbp: 88, at: iso(min(115)) },
        previousBp: { sbp: 145, dbp: 88, at: iso(min(100)) },
      },
      ['bp_acceptable'],
    ],
    [
      'BP above 140/90, falling',
      {
        latestBp: { sbp: 150, dbp: 88, at: iso(min(115)) },
        previousBp: { sbp: 165, dbp: 95, at: iso(min(100)) },
      },
      [],
    ],
    [
      'BP at the pre-dose value 150/85',
      {
        screening: makeScreening({ sbp: 150, dbp: 85 }),
        latestBp: { sbp: 150, dbp: 85, at: iso(min(115)) },
      },
      [],
    ],
    [
      'BP one above the pre-dose value 150/85',
      {
        screening: makeScreening({ sbp: 150, dbp: 85 }),
        latestBp: { sbp: 151, dbp: 85, at: iso(min(115)) },
        previousBp: null,
      },
      ['bp_acceptable'],
    ],
    ['no BP', { latestBp: null }, ['bp_acceptable']],
    // "from a reading under 15 min old"
    ['BP 14 min old', { latestBp: { sbp: 120, dbp: 80, at: iso(min(106)) } }, []],
    ['BP 1 s under 15 min old', { latestBp: { sbp: 120, dbp: 80, at: iso(min(105) + 1000) } }, []],
    [
      'BP exactly 15 min old',
      { latestBp: { sbp: 120, dbp: 80, at: iso(min(105)) } },
      ['bp_acceptable'],
    ],
    ['BP 16 min old', { latestBp: { sbp: 120, dbp: 80, at: iso(min(104)) } }, ['bp_acceptable']],
    // "<= 140/90 or <= the pre-dose value": each is a whole reading, not a mix of the two.
    [
      'BP 145/90 after a pre-dose 150/85 (neither <= 140/90 nor <= 150/85)',
      {
        screening: makeScreening({ sbp: 150, dbp: 85 }),
        latestBp: { sbp: 145, dbp: 90, at: iso(min(115)) },
        previousBp: null,
      },
      ['bp_acceptable'],
    ],
    [
      'BP 135/90 after a pre-dose 150/85 (<= 140/90)',
      {
        screening: makeScreening({ sbp: 150, dbp: 85 }),
        latestBp: { sbp: 135, dbp: 90, at: iso(min(115)) },
        previousBp: null,
      },
      [],
    ],
    [
      'BP 145/95 after a pre-dose 150/95 (<= the pre-dose value)',
      {
        screening: makeScreening({ sbp: 150, dbp: 95 }),
        latestBp: { sbp: 145, dbp: 95, at: iso(min(115)) },
        previousBp: null,
      },
      [],
    ],
    ['MOAA/S below pre-dose', { latestMoaas: 4 }, ['moaas_baseline']],
    ['MOAA/S back to pre-dose', { latestMoaas: 5 }, []],
    ['no MOAA/S', { latestMoaas: null }, ['moaas_baseline']],
    ['dissociation 1', { latestDissociation: 1 }, ['dissociation_resolved']],
    ['dissociation back to baseline 2', { latestDissociation: 2, baselineDissociation: 2 }, []],
    ['open SpO2 alert', { openConditions: ['spo2_low'] }, ['no_breathing_concern']],
    ['open RR alert', { openConditions: ['rr_low', 'hr_high'] }, ['no_breathing_concern']],
    ['open HR alert only', { openConditions: ['hr_high'] }, []],
    // "no open alert on ... a NEWS2 parameter scoring 3": one cause, one alert raises a pulse
    // >= 131 as hr_high and an SBP >= 220 as sbp_high, and they count while the value scores 3.
    ['open HR alert, pulse 130', { openConditions: ['hr_high'], latestPulse: 130 }, []],
    [
      'open HR alert, pulse 131 (NEWS2 3)',
      { openConditions: ['hr_high'], latestPulse: 131 },
      ['no_breathing_concern'],
    ],
    [
      'open HR alert, pulse 130.6 (131: NEWS2 3)',
      { openConditions: ['hr_high'], latestPulse: 130.6 },
      ['no_breathing_concern'],
    ],
    ['pulse 135, no open HR alert', { openConditions: [], latestPulse: 135 }, []],
    [
      'open SBP alert at 219 (NEWS2 0): the BP item, not a breathing concern',
      {
        openConditions: ['sbp_high'],
        latestBp: { sbp: 219, dbp: 100, at: iso(min(115)) },
        previousBp: null,
      },
      ['bp_acceptable'],
    ],
    [
      'open SBP alert at 220 (NEWS2 3)',
      {
        openConditions: ['sbp_high'],
        latestBp: { sbp: 220, dbp: 100, at: iso(min(115)) },
        previousBp: null,
      },
      ['bp_acceptable', 'no_breathing_concern'],
    ],
    // v2 precision: BP judged in whole mm[Hg], as the alert rules judge it.
    ['BP 140.4/89.6 (140/90)', { latestBp: { sbp: 140.4, dbp: 89.6, at: iso(min(115)) } }, []],
    [
      'BP 179.6/95 after 186/100 (SBP 180: at the alert limit, not "falling")',
      {
        latestBp: { sbp: 179.6, dbp: 95, at: iso(min(115)) },
        previousBp: { sbp: 186, dbp: 100, at: iso(min(100)) },
      },
      ['bp_acceptable'],
    ],
  ] as Array<[string, Parameters<typeof makeSnapshot>[0], string[]]>)(
    '%s',
    (_name, change, expected) => {
      expect(failing(change)).toEqual(expected);
    },
  );
});
