import { SESSION_STATES, type SessionState } from '@vigil/contracts';
import { evaluateEndChecklist } from './end-checklist';
import { DEFAULT_ORAL_PROTOCOL as P } from './protocol';
import { COMMAND_FROM, transition, type SessionCommand } from './state-machine';
import { iso, makeScreening, makeSnapshot, min, T0 } from './testing/factories';

const NOW = iso(min(121));
const OVERRIDE = { reason: 'Discussed with patient, BP stable', by: 'dr-lee', at: iso(T0) };

const COMMANDS: SessionCommand[] = [
  { type: 'start_screening' },
  { type: 'submit_screening', screening: makeScreening() },
  { type: 'confirm_dose', dose: { mg: 100, route: 'oral', takenAt: iso(min(120)) } },
  { type: 'start_monitoring' },
  { type: 'begin_recovery' },
  { type: 'sign_off' },
  { type: 'abort', reason: 'Patient declined' },
];

const EXPECTED: Record<string, SessionState> = {
  start_screening: 'screening',
  submit_screening: 'ready',
  confirm_dose: 'dosed',
  start_monitoring: 'monitoring',
  begin_recovery: 'recovery',
  sign_off: 'ended',
  abort: 'aborted',
};

const cases = SESSION_STATES.flatMap((state) =>
  COMMANDS.map((command) => [state, command.type, command] as const),
);

describe('transition', () => {
  it.each(cases)('from %s, %s', (state, type, command) => {
    const result = transition(makeSnapshot({ state }), command, NOW, P);
    if (COMMAND_FROM[type].includes(state)) {
      expect(result).toEqual({ ok: true, to: EXPECTED[type], flags: [] });
    } else {
      expect(result.ok).toBe(false);
      const code =
        state === 'ended' || state === 'aborted' ? 'session_closed' : 'invalid_transition';
      if (!result.ok) expect(result.reasons[0].code).toBe(code);
    }
  });

  it('refuses an abort without a reason', () => {
    const result = transition(
      makeSnapshot({ state: 'monitoring' }),
      { type: 'abort', reason: ' ' },
      NOW,
      P,
    );
    expect(result).toEqual({
      ok: false,
      reasons: [{ code: 'reason_required', message: 'Say why the session is being aborted.' }],
    });
  });

  describe('submit_screening', () => {
    it('refuses an incomplete screening with its reasons', () => {
      const result = transition(
        makeSnapshot({ state: 'screening' }),
        { type: 'submit_screening', screening: makeScreening({ supportPerson: null }) },
        NOW,
        P,
      );
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.reasons[0].code).toBe('support_person_missing');
    });

    it('moves a no-go screening to ready, flagged, so a clinician can review it', () => {
      const result = transition(
        makeSnapshot({ state: 'screening' }),
        { type: 'submit_screening', screening: makeScreening({ sbp: 170 }) },
        NOW,
        P,
      );
      expect(result).toEqual({ ok: true, to: 'ready', flags: ['predose_no_go'] });
    });
  });

  describe('confirm_dose', () => {
    const dose = { type: 'confirm_dose', dose: { mg: 100, route: 'oral', takenAt: NOW } } as const;
    const ready = (o = {}) => makeSnapshot({ state: 'ready', ...o });

    it('refuses without a screening', () => {
      const result = transition(ready({ screening: null }), dose, NOW, P);
      expect(result.ok ? [] : result.reasons.map((r) => r.code)).toEqual(['screening_missing']);
    });

    it('refuses without pre-dose vitals or a support person', () => {
      const screening = makeScreening({ sbp: null, supportPerson: null });
      const result = transition(ready({ screening }), dose, NOW, P);
      expect(result.ok ? [] : result.reasons.map((r) => r.code)).toEqual([
        'bp_systolic_missing',
        'support_person_missing',
      ]);
    });

    it('blocks a no-go until a clinician overrides with a reason', () => {
      const screening = makeScreening({ sbp: 161 });
      const blocked = transition(ready({ screening }), dose, NOW, P);
      expect(blocked.ok ? [] : blocked.reasons.map((r) => r.code)).toEqual([
        'bp_no_go',
        'override_required',
      ]);
      const lifted = transition(ready({ screening, preDoseOverride: OVERRIDE }), dose, NOW, P);
      expect(lifted).toEqual({ ok: true, to: 'dosed', flags: ['gate_overridden'] });
      const blank = transition(
        ready({ screening, preDoseOverride: { ...OVERRIDE, reason: '' } }),
        dose,
        NOW,
        P,
      );
      expect(blank.ok).toBe(false);
    });

    it('never lets an override replace an adult support person', () => {
      const screening = makeScreening({
        supportPerson: { adult: false, presentWholeSession: true, name: 'Kid', phone: '1' },
      });
      const result = transition(ready({ screening, preDoseOverride: OVERRIDE }), dose, NOW, P);
      expect(result.ok ? [] : result.reasons.map((r) => r.code)).toEqual([
        'support_person_not_adult',
        'no_support_person',
      ]);
    });

    it('doses a caution session and flags it', () => {
      const result = transition(ready({ screening: makeScreening({ sbp: 141 }) }), dose, NOW, P);
      expect(result).toEqual({ ok: true, to: 'dosed', flags: ['predose_caution'] });
    });

    it.each([
      [{ mg: 0 }, 'dose_invalid'],
      [{ mg: Number.NaN }, 'dose_invalid'],
      [{ takenAt: iso(min(122)) }, 'dose_time_invalid'],
      [{ takenAt: 'yesterday' }, 'dose_time_invalid'],
    ])('refuses dose details %j', (change, code) => {
      const result = transition(ready(), { ...dose, dose: { ...dose.dose, ...change } }, NOW, P);
      expect(result.ok ? [] : result.reasons.map((r) => r.code)).toEqual([code]);
    });

    it('flags a route that differs from the protocol', () => {
      const result = transition(
        ready(),
        { ...dose, dose: { ...dose.dose, route: 'nasal' } },
        NOW,
        P,
      );
      expect(result).toEqual({ ok: true, to: 'dosed', flags: ['route_differs_from_protocol'] });
    });
  });

  describe('override_gate', () => {
    const cmd = { type: 'override_gate', reason: 'Reviewed by phone', by: 'dr-lee' } as const;

    it('records a pre-dose override on a no-go screening', () => {
      const snapshot = makeSnapshot({ state: 'ready', screening: makeScreening({ hr: 101 }) });
      expect(transition(snapshot, cmd, NOW, P)).toEqual({
        ok: true,
        to: 'ready',
        flags: ['gate_overridden'],
      });
    });

    it.each([
      [{ reason: '' }, 'reason_required'],
      [{ by: '' }, 'author_required'],
    ])('refuses %j', (change, code) => {
      const snapshot = makeSnapshot({ state: 'ready', screening: makeScreening({ hr: 101 }) });
      const result = transition(snapshot, { ...cmd, ...change }, NOW, P);
      expect(result.ok ? [] : result.reasons.map((r) => r.code)).toEqual([code]);
    });

    it('refuses when the gate is not a no-go', () => {
      const result = transition(makeSnapshot({ state: 'ready' }), cmd, NOW, P);
      expect(result.ok ? [] : result.reasons.map((r) => r.code)).toEqual(['override_not_needed']);
    });

    it('records an end override after the dose', () => {
      const result = transition(makeSnapshot({ state: 'monitoring' }), cmd, NOW, P);
      expect(result).toEqual({ ok: true, to: 'monitoring', flags: ['end_overridden'] });
    });

    it('refuses a pre-dose override once dosed', () => {
      const result = transition(
        makeSnapshot({ state: 'recovery' }),
        { ...cmd, gate: 'pre_dose' },
        NOW,
        P,
      );
      expect(result.ok ? [] : result.reasons.map((r) => r.code)).toEqual(['invalid_transition']);
    });
  });

  describe('sign_off', () => {
    it('refuses before 120 minutes with the checklist reasons', () => {
      const result = transition(makeSnapshot(), { type: 'sign_off' }, iso(min(119)), P);
      expect(result.ok ? [] : result.reasons.map((r) => r.code)).toEqual([
        'min_monitoring',
        'override_required',
      ]);
    });

    it('ends early only with a clinician override with a reason', () => {
      const early = makeSnapshot({ endOverride: OVERRIDE });
      expect(transition(early, { type: 'sign_off' }, iso(min(90)), P)).toEqual({
        ok: true,
        to: 'ended',
        flags: ['ended_early_override'],
      });
    });
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

  it('is not ready at 119 minutes', () => {
    expect(failing({}, iso(min(119) + 59_000))).toEqual(['min_monitoring']);
  });

  it.each([
    ['BP at the caution limit', { latestBp: { sbp: 140, dbp: 90, at: iso(min(115)) } }, []],
    [
      'BP above caution, not falling',
      {
        latestBp: { sbp: 150, dbp: 88, at: iso(min(115)) },
        previousBp: { sbp: 145, dbp: 88, at: iso(min(100)) },
      },
      ['bp_acceptable'],
    ],
    [
      'BP above caution, falling',
      {
        latestBp: { sbp: 150, dbp: 88, at: iso(min(115)) },
        previousBp: { sbp: 165, dbp: 95, at: iso(min(100)) },
      },
      [],
    ],
    [
      'BP falling but still >= 180',
      {
        latestBp: { sbp: 182, dbp: 95, at: iso(min(115)) },
        previousBp: { sbp: 190, dbp: 100, at: iso(min(100)) },
      },
      ['bp_acceptable'],
    ],
    [
      'BP at a high baseline',
      {
        screening: makeScreening({ sbp: 150, dbp: 85 }),
        latestBp: { sbp: 150, dbp: 85, at: iso(min(115)) },
      },
      [],
    ],
    ['no BP', { latestBp: null }, ['bp_acceptable']],
    ['stale BP', { latestBp: { sbp: 120, dbp: 80, at: iso(min(104)) } }, ['bp_acceptable']],
    ['MOAA/S below pre-dose', { latestMoaas: 4 }, ['moaas_baseline']],
    ['no MOAA/S', { latestMoaas: null }, ['moaas_baseline']],
    ['dissociation 1', { latestDissociation: 1 }, ['dissociation_resolved']],
    ['dissociation back to baseline 2', { latestDissociation: 2, baselineDissociation: 2 }, []],
    ['open SpO2 alert', { openConditions: ['spo2_low'] }, ['no_breathing_concern']],
    ['open RR alert', { openConditions: ['rr_low', 'hr_high'] }, ['no_breathing_concern']],
    ['open HR alert only', { openConditions: ['hr_high'] }, []],
  ] as Array<[string, Parameters<typeof makeSnapshot>[0], string[]]>)(
    '%s',
    (_name, change, expected) => {
      expect(failing(change)).toEqual(expected);
    },
  );
});
