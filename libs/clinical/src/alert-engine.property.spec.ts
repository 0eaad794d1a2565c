import { READING_KINDS, SESSION_STATES, SYMPTOM_CODES } from '@vigil/contracts';
import fc from 'fast-check';
import { reconcileAlerts, type OpenAlert } from './alert-reconcile';
import { applyEvent, clearLatched, createAlertEngineState, evaluateAt } from './alert-rules';
import type { AlertEngineState, Condition, EngineEvent } from './alert-types';
import { DEFAULT_ORAL_PROTOCOL as P } from './protocol';
import { iso, T0 } from './testing/factories';

const offset = fc.integer({ min: -60_000, max: 4 * 3_600_000 });
const when = offset.map((ms) => iso(T0 + ms));

const reading = fc.record({
  kind: fc.oneof(fc.constantFrom(...READING_KINDS), fc.string()),
  value: fc.oneof(fc.integer({ min: 0, max: 320 }), fc.double(), fc.constant(Number.NaN)),
  measuredAt: fc.oneof(when, fc.string()),
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
    }),
  }),
  fc.record({ type: fc.string(), at: fc.oneof(when, fc.string()), data: fc.anything() }),
);

/** Step: an event, a clock tick, or a clinician clearing a latched condition. */
const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 6, arbitrary: event.map((e) => ({ kind: 'event' as const, e })) },
  { weight: 2, arbitrary: offset.map((ms) => ({ kind: 'tick' as const, ms })) },
  {
    weight: 1,
    arbitrary: fc
      .constantFrom('help', 'symptom_chest_pain', 'phq9_item9')
      .map((c) => ({ kind: 'clear' as const, c })),
  },
);

type Step =
  { kind: 'event'; e: EngineEvent } | { kind: 'tick'; ms: number } | { kind: 'clear'; c: string };

function play(steps: Step[]): {
  state: AlertEngineState;
  trace: Condition[][];
} {
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
          for (const c of conditions)
            expect(['high', 'medium', 'low', 'info']).toContain(c.priority);
        }
      }),
      { numRuns: 300 },
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
        expect(Object.keys(state.latched).length).toBeLessThanOrEqual(SYMPTOM_CODES.length + 2);
      }),
      { numRuns: 50 },
    );
  });

  it('reconcileAlerts never leaves two open alerts for one condition', () => {
    fc.assert(
      fc.property(
        fc.array(step, { maxLength: 40 }),
        fc.array(fc.constantFrom('help', 'spo2_low', 'hr_high'), { maxLength: 4 }),
        (steps, stale) => {
          // Start from possibly duplicated open alerts, then follow the engine's trace.
          let nextId = 0;
          let open: OpenAlert[] = stale.map((condition) => ({
            id: `s${nextId++}`,
            condition,
            priority: 'medium',
          }));
          for (const present of play(steps).trace) {
            const { raise, update, resolve } = reconcileAlerts(open, present);
            const resolved = new Set(resolve.map((r) => r.id));
            open = open
              .filter((a) => !resolved.has(a.id))
              .map((a) => {
                const u = update.find((x) => x.id === a.id);
                return u
                  ? { ...a, priority: u.condition.priority, message: u.condition.message }
                  : a;
              });
            open.push(
              ...raise.map((c) => ({
                id: `a${nextId++}`,
                condition: c.condition,
                priority: c.priority,
                message: c.message,
              })),
            );
            const codes = open.map((a) => a.condition);
            expect(new Set(codes).size).toBe(codes.length);
            expect(new Set(codes)).toEqual(new Set(present.map((c) => c.condition)));
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});
