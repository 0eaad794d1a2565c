import { READING_KINDS, SESSION_STATES, SYMPTOM_CODES } from '@vigil/contracts';
import fc from 'fast-check';
import {
  announceLatched,
  applyEvent,
  clearLatched,
  createAlertEngineState,
  evaluateAt,
} from './alert-rules';
import type { AlertEngineState, Condition, EngineEvent } from './alert-types';
import { DEFAULT_ORAL_PROTOCOL as P } from './protocol';
import { iso, T0 } from './testing/factories';

/**
 * The engine alone, fed anything (garbage included): it never throws, never presents one
 * condition twice, is deterministic, and keeps a bounded state. The lifecycle properties of
 * CLINICAL.md v2 are in alert-lifecycle.property.spec.ts.
 */
const offset = fc.integer({ min: -60_000, max: 4 * 3_600_000 });
const when = offset.map((ms) => iso(T0 + ms));

const reading = fc.record({
  kind: fc.oneof(fc.constantFrom(...READING_KINDS), fc.string()),
  value: fc.oneof(fc.integer({ min: 0, max: 320 }), fc.double(), fc.constant(Number.NaN)),
  measuredAt: fc.oneof(when, fc.string()),
  source: fc.constantFrom('device', 'manual', undefined, 'bogus'),
});

const event: fc.Arbitrary<EngineEvent> = fc.oneof(
  fc.record({
    type: fc.constant('vitals.recorded'),
    at: when,
    data: fc.record({ readings: fc.array(reading, { maxLength: 6 }) }),
  }),
  fc.record({
    type: fc.constant('checkin.recorded'),
    at: when,
    data: fc.record(
      {
        moaas: fc.oneof(fc.integer({ min: -1, max: 6 }), fc.string()),
        symptoms: fc.array(fc.oneof(fc.constantFrom(...SYMPTOM_CODES), fc.string()), {
          maxLength: 3,
        }),
      },
      { requiredKeys: [] },
    ),
  }),
  fc.record({ type: fc.constant('help.requested'), at: when, data: fc.constant({}) }),
  fc.record({
    type: fc.constant('presence.changed'),
    at: when,
    data: fc.record({ status: fc.constantFrom('online', 'offline') }),
  }),
  fc.record({
    type: fc.constant('session.state_changed'),
    at: when,
    data: fc.record({ to: fc.constantFrom(...SESSION_STATES, 'bogus') }),
  }),
  fc.record({
    type: fc.constant('screening.submitted'),
    at: when,
    data: fc.record({
      phq9: fc.array(fc.integer({ min: -1, max: 4 }), { maxLength: 10 }),
      sbp: fc.integer({ min: 80, max: 200 }),
      dbp: fc.integer({ min: 40, max: 120 }),
      hr: fc.integer({ min: 40, max: 140 }),
      spo2: fc.integer({ min: 85, max: 100 }),
    }),
  }),
  fc.record({ type: fc.string(), at: fc.oneof(when, fc.string()), data: fc.anything() }),
);

type Step =
  | { kind: 'event'; e: EngineEvent }
  | { kind: 'tick'; ms: number }
  | { kind: 'clear'; c: string }
  | { kind: 'announce' };

/**
 * Step: an event, a clock tick, a clinician clearing a latched condition, or the alerts
 * announcing the latched reports (the API's pass writing what it judged).
 */
const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 6, arbitrary: event.map((e) => ({ kind: 'event' as const, e })) },
  { weight: 2, arbitrary: offset.map((ms) => ({ kind: 'tick' as const, ms })) },
  { weight: 1, arbitrary: fc.constant({ kind: 'announce' as const }) },
  {
    weight: 1,
    arbitrary: fc
      .constantFrom('help', 'symptom_chest_pain', 'phq9_item9', 'predose_no_go')
      .map((c) => ({ kind: 'clear' as const, c })),
  },
);

function play(steps: Step[]): { state: AlertEngineState; trace: Condition[][] } {
  let state = createAlertEngineState({
    baseline: { sbp: 125, dbp: 80, hr: 70 },
    dosedAt: iso(T0),
    lastHeartbeatAt: iso(T0),
  });
  const trace: Condition[][] = [];
  for (const s of steps) {
    if (s.kind === 'clear') {
      state = clearLatched(state, s.c);
      continue;
    }
    if (s.kind === 'announce') {
      state = announceLatched(state);
      continue;
    }
    const r = s.kind === 'event' ? applyEvent(state, s.e, P) : evaluateAt(state, T0 + s.ms, P);
    state = r.state;
    trace.push(r.conditions);
  }
  return { state, trace };
}

describe('alert engine properties', () => {
  it('never throws, and never presents one condition twice', () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 40 }), (steps) => {
        for (const conditions of play(steps).trace) {
          const codes = conditions.map((c) => c.condition);
          expect(new Set(codes).size).toBe(codes.length);
          for (const c of conditions) {
            expect(['high', 'medium', 'low', 'info']).toContain(c.priority);
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it('never presents news2_medium beside news2_high, nor sedation beside moaas_low', () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 40 }), (steps) => {
        for (const conditions of play(steps).trace) {
          const codes = new Set(conditions.map((c) => c.condition));
          expect(codes.has('news2_high') && codes.has('news2_medium')).toBe(false);
          expect(codes.has('moaas_low') && codes.has('sedation')).toBe(false);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('presents nothing at all once the session has ended or been aborted', () => {
    fc.assert(
      fc.property(
        fc.array(step, { maxLength: 20 }),
        fc.constantFrom('ended', 'aborted'),
        // The state machine allows no transition out of ended or aborted.
        fc.array(
          step.filter((s) => s.kind !== 'event' || s.e.type !== 'session.state_changed'),
          { maxLength: 20 },
        ),
        (before, to, after) => {
          const end: Step = {
            kind: 'event',
            e: { type: 'session.state_changed', at: iso(T0), data: { to } },
          };
          const { trace } = play([...before, end, ...after]);
          for (const conditions of trace.slice(play(before).trace.length)) {
            expect(conditions).toEqual([]);
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it('gives the same conditions for the same events (deterministic)', () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 40 }), (steps) => {
        expect(play(steps)).toEqual(play(steps));
      }),
      { numRuns: 200 },
    );
  });

  it('keeps its state bounded, whatever the number of events', () => {
    fc.assert(
      fc.property(fc.array(step, { minLength: 50, maxLength: 120 }), (steps) => {
        const { state } = play(steps);
        expect(Object.keys(state.holds).length).toBeLessThanOrEqual(12);
        expect(Object.keys(state.latched).length).toBeLessThanOrEqual(SYMPTOM_CODES.length + 3);
        expect(Object.keys(state.unannounced ?? {}).length).toBeLessThanOrEqual(
          SYMPTOM_CODES.length + 3,
        );
      }),
      { numRuns: 50 },
    );
  });
});
