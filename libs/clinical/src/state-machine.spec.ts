import { SESSION_STATES, type SessionState } from '@vigil/contracts';
import { DEFAULT_ORAL_PROTOCOL as P } from './protocol';
import { applyOverrides } from './protocol-overrides';
import { COMMAND_FROM, remeasureAfter, transition, type SessionCommand } from './state-machine';
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

  describe('submit_screening (v2: a no-go holds the session in screening)', () => {
    const screeningAt = (o = {}) => makeSnapshot({ state: 'screening', ...o });
    const submit = (screening = makeScreening()) =>
      ({ type: 'submit_screening', screening }) as const;

    it('refuses an incomplete screening with its reasons', () => {
      const result = transition(
        screeningAt(),
        submit(makeScreening({ supportPerson: null })),
        NOW,
        P,
      );
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.reasons[0].code).toBe('support_person_missing');
    });

    it.each([
      ['SBP 160', { sbp: 160 }],
      ['DBP 100', { dbp: 100 }],
      ['HR 101', { hr: 101 }],
      ['SpO2 91', { spo2: 91 }],
    ])('keeps a no-go (%s) in screening, flagged', (_name, change) => {
      expect(transition(screeningAt(), submit(makeScreening(change)), NOW, P)).toEqual({
        ok: true,
        to: 'screening',
        flags: ['predose_no_go'],
      });
    });

    it('keeps a no-go with an unanswered question in screening as a no-go, not refused', () => {
      const screening = makeScreening({ sbp: 172, dbp: 96, fasting: null });
      expect(transition(screeningAt(), submit(screening), NOW, P)).toEqual({
        ok: true,
        to: 'screening',
        flags: ['predose_no_go'],
      });
    });

    it.each([
      ['SBP 159', { sbp: 159 }, ['predose_caution']],
      ['DBP 99', { dbp: 99 }, ['predose_caution']],
      ['HR 100', { hr: 100 }, []],
      ['SpO2 92', { spo2: 92 }, ['predose_caution']],
    ])('makes a session without a no-go ready (%s)', (_name, change, flags) => {
      expect(transition(screeningAt(), submit(makeScreening(change)), NOW, P)).toEqual({
        ok: true,
        to: 'ready',
        flags,
      });
    });

    // After a no-go, re-measuring waits for the protocol's rest (10 min), never sooner.
    it.each([
      [min(10) - 1000, false],
      [min(10), true],
      [min(10) + 1000, true],
    ])('after a no-go at T0, re-measuring at %i ms is allowed: %s', (now, allowed) => {
      const result = transition(screeningAt({ lastNoGoAt: iso(T0) }), submit(), iso(now), P);
      expect(result.ok).toBe(allowed);
      if (!result.ok) expect(result.reasons.map((r) => r.code)).toEqual(['rest_required']);
    });

    it('refuses a re-measure a minute after a no-go even with a lower reading', () => {
      const result = transition(
        screeningAt({ lastNoGoAt: iso(T0) }),
        submit(makeScreening({ sbp: 120 })),
        iso(min(1)),
        P,
      );
      expect(result.ok ? [] : result.reasons.map((r) => r.code)).toEqual(['rest_required']);
    });

    it('uses the overridden rest (5 min)', () => {
      const { protocol } = applyOverrides(P, [
        { setting: 'preDoseRest', value: 5, reason: 'Clinic policy', by: 'dr-lee', at: iso(T0) },
      ]);
      const snapshot = screeningAt({ lastNoGoAt: iso(T0) });
      expect(transition(snapshot, submit(), iso(min(5) - 1000), protocol).ok).toBe(false);
      expect(transition(snapshot, submit(), iso(min(5)), protocol).ok).toBe(true);
      expect(remeasureAfter(snapshot, protocol)).toBe(iso(min(5)));
    });

    it('keeps a later go in screening: only the clinician clears a session that had a no-go', () => {
      const result = transition(screeningAt({ lastNoGoAt: iso(T0) }), submit(), iso(min(11)), P);
      expect(result).toEqual({
        ok: true,
        to: 'screening',
        flags: ['clinician_clearance_required'],
      });
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

    it('never lets an override lift a no-go whose screening is incomplete', () => {
      const screening = makeScreening({ sbp: 172, dbp: 96, fasting: null });
      const result = transition(ready({ screening, preDoseOverride: OVERRIDE }), dose, NOW, P);
      expect(result.ok ? [] : result.reasons.map((r) => r.code)).toEqual([
        'fasting_missing',
        'bp_no_go',
        'screening_incomplete',
      ]);
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

    it('refuses the dose of a session that had a no-go, even after a later go, without an override', () => {
      const snapshot = ready({ lastNoGoAt: iso(T0) });
      const blocked = transition(snapshot, dose, NOW, P);
      expect(blocked.ok ? [] : blocked.reasons.map((r) => r.code)).toEqual([
        'clinician_clearance_required',
      ]);
      const cleared = transition({ ...snapshot, preDoseOverride: OVERRIDE }, dose, NOW, P);
      expect(cleared).toEqual({ ok: true, to: 'dosed', flags: ['gate_overridden'] });
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

    it('lets the clinician clear a session held in screening after a no-go and a later go', () => {
      const snapshot = makeSnapshot({ state: 'screening', lastNoGoAt: iso(T0) });
      expect(transition(snapshot, cmd, NOW, P)).toMatchObject({
        ok: true,
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

    it('refuses a pre-dose override while the no-go screening is incomplete', () => {
      const screening = makeScreening({ sbp: 172, dbp: 96, fasting: null });
      const snapshot = makeSnapshot({ state: 'screening', screening, lastNoGoAt: iso(T0) });
      const result = transition(snapshot, cmd, NOW, P);
      expect(result.ok ? [] : result.reasons.map((r) => r.code)).toEqual(['screening_incomplete']);
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
});
