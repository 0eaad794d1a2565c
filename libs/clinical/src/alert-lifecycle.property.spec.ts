import type { ReadingKind } from '@vigil/contracts';
import fc from 'fast-check';
import { announceLatched, applyEvent, clearLatched, evaluateAt } from './alert-rules';
import type { AlertEngineState, EngineEvent } from './alert-types';
import { clampSilence } from './escalation';
import { roundReading } from './precision';
import { DEFAULT_ORAL_PROTOCOL as P } from './protocol';
import { AlertBoard } from './testing/alert-board';
import { iso, makeEngine, T0 } from './testing/factories';

/**
 * CLINICAL.md v2 lifecycle properties, over arbitrary sequences of readings (device and typed),
 * check-ins, help presses, acknowledgements, silences and the end of the session, on a manual
 * clock, judged through the engine and the lifecycle as the API runs them (testing/alert-board).
 */
type Action =
  | { kind: 'reading'; reading: ReadingKind; value: number; manual: boolean }
  | { kind: 'checkin'; moaas: number }
  | { kind: 'help' }
  | { kind: 'ack'; pick: number }
  | { kind: 'silence'; pick: number; forMs: number }
  | { kind: 'clear_help' }
  | { kind: 'end'; to: 'ended' | 'aborted' }
  | { kind: 'tick' };

interface Step {
  dt: number;
  action: Action;
}

const streamed = (reading: 'spo2' | 'heart_rate', lo: number, hi: number) =>
  fc.record({
    kind: fc.constant('reading' as const),
    reading: fc.constant(reading as ReadingKind),
    value: fc.oneof(fc.integer({ min: lo, max: hi }), fc.double({ min: lo, max: hi, noNaN: true })),
    // Mostly a device stream, sometimes a value typed in by hand.
    manual: fc.oneof({ weight: 5, arbitrary: fc.constant(false) }, fc.constant(true)),
  });

const action: fc.Arbitrary<Action> = fc.oneof(
  { weight: 8, arbitrary: streamed('spo2', 86, 98) },
  { weight: 4, arbitrary: streamed('heart_rate', 100, 135) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('reading' as const),
      reading: fc.constantFrom<ReadingKind>('bp_systolic', 'bp_diastolic', 'resp_rate'),
      value: fc.integer({ min: 6, max: 200 }),
      manual: fc.constant(false),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('checkin' as const),
      moaas: fc.integer({ min: 0, max: 5 }),
    }),
  },
  { weight: 1, arbitrary: fc.constant({ kind: 'help' as const }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('ack' as const), pick: fc.nat() }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('silence' as const),
      pick: fc.nat(),
      forMs: fc.integer({ min: 0, max: 600_000 }),
    }),
  },
  { weight: 1, arbitrary: fc.constant({ kind: 'clear_help' as const }) },
  { weight: 3, arbitrary: fc.constant({ kind: 'tick' as const }) },
  {
    weight: 1,
    arbitrary: fc
      .constantFrom('ended' as const, 'aborted' as const)
      .map((to) => ({ kind: 'end' as const, to })),
  },
);

const stepArb: fc.Arbitrary<Step> = fc.record({
  dt: fc.oneof(
    { weight: 8, arbitrary: fc.integer({ min: 0, max: 20_000 }) },
    { weight: 1, arbitrary: fc.integer({ min: 20_000, max: 400_000 }) },
  ),
  action,
});
// Few runs end the session; most should run long enough to escalate.
const steps = fc
  .array(stepArb, { minLength: 20, maxLength: 120 })
  .map((all) => all.filter((s, i) => s.action.kind !== 'end' || i > all.length * 0.8));

/** A continuous-stream breach of each streamed condition, as CLINICAL.md defines the limits. */
const STREAM_BREACH: Partial<
  Record<ReadingKind, { code: string; breach: (v: number) => boolean }>
> = {
  spo2: { code: 'spo2_low', breach: (v) => v <= 93 },
  heart_rate: { code: 'hr_high', breach: (v) => v > 120 },
};

interface Violation {
  at: number;
  what: string;
}

/** Plays the steps and returns every broken rule (empty when all hold). */
function check(all: Step[]): Violation[] {
  let state: AlertEngineState = makeEngine({
    baseline: { sbp: 130, dbp: 80, hr: 70 },
    preDoseMoaas: 5,
    sessionState: 'monitoring',
    dosedAt: iso(T0),
    lastHeartbeatAt: iso(T0),
  });
  const board = new AlertBoard(P);
  const violations: Violation[] = [];
  const raisedIds = new Set<string>();
  const lastReadingAt: Partial<Record<ReadingKind, number>> = {};
  const lastStreamBreach: Record<string, number> = {};
  const highSince: Record<string, number> = {};
  const lastAck: Record<string, number> = {};
  let ended = false;
  let now = T0;

  for (const { dt, action } of all) {
    now += dt;
    let event: EngineEvent | null = null;
    switch (action.kind) {
      case 'reading': {
        event = {
          type: 'vitals.recorded',
          at: iso(now),
          data: {
            readings: [
              {
                kind: action.reading,
                value: action.value,
                measuredAt: iso(now),
                ...(action.manual ? { source: 'manual' } : {}),
              },
            ],
          },
        };
        const rule = STREAM_BREACH[action.reading];
        const newer = (lastReadingAt[action.reading] ?? -Infinity) < now;
        if (rule && newer) {
          const value = roundReading(action.reading, action.value);
          // A later discrete reading may resolve at once (CLINICAL.md: "or for one later
          // discrete reading"), so only device readings count as stream breaches.
          if (action.manual) delete lastStreamBreach[rule.code];
          else if (rule.breach(value)) lastStreamBreach[rule.code] = now;
        }
        if (newer) lastReadingAt[action.reading] = now;
        break;
      }
      case 'checkin':
        event = { type: 'checkin.recorded', at: iso(now), data: { moaas: action.moaas } };
        break;
      case 'help':
        event = { type: 'help.requested', at: iso(now), data: {} };
        break;
      case 'end':
        event = { type: 'session.state_changed', at: iso(now), data: { to: action.to } };
        ended = true;
        break;
      case 'ack': {
        const open = board.held().filter((a) => a.status === 'open');
        if (open.length > 0) {
          const a = open[action.pick % open.length];
          board.acknowledge(a.id, now);
          lastAck[a.id] = now;
        }
        break;
      }
      case 'silence': {
        const held = board.held();
        if (held.length > 0) {
          const until = clampSilence(now + action.forMs, now, P);
          if (until) board.silence(held[action.pick % held.length].id, Date.parse(until));
        }
        break;
      }
      case 'clear_help':
        state = clearLatched(state, 'help');
        break;
      case 'tick':
        break;
    }
    const r = event ? applyEvent(state, event, P) : evaluateAt(state, now, P);
    const changes = board.judge(r.conditions, now);
    // As the API's pass: the changes announce every latched report.
    state = announceLatched(r.state);

    // `alert.raised` once per alert id.
    for (const c of changes) {
      if (c.kind !== 'raise') continue;
      if (raisedIds.has(c.alertId)) violations.push({ at: now, what: `raised ${c.alertId} twice` });
      raisedIds.add(c.alertId);
    }
    // At most one open alert per condition.
    const codes = board.held().map((a) => a.condition);
    if (new Set(codes).size !== codes.length) {
      violations.push({ at: now, what: `two held alerts for one condition: ${codes.join(',')}` });
    }
    // No alert resolves within 60 s of its condition's last continuous-stream breach.
    for (const c of changes) {
      if (c.kind !== 'resolve' || ended) continue;
      const breach = lastStreamBreach[c.alert.condition];
      if (breach !== undefined && now - breach < 60_000) {
        violations.push({
          at: now,
          what: `${c.alert.condition} resolved ${now - breach} ms after a breach`,
        });
      }
    }
    // An unacknowledged high condition present for 2 minutes is escalated.
    for (const code of Object.keys(highSince)) {
      if (!r.conditions.some((c) => c.condition === code && c.priority === 'high')) {
        delete highSince[code];
      }
    }
    for (const c of r.conditions) if (c.priority === 'high') highSince[c.condition] ??= now;
    for (const [code, since] of Object.entries(highSince)) {
      const alert = board.heldFor(code);
      if (!alert || alert.status !== 'open' || now - since < 120_000) continue;
      const acked = lastAck[alert.id];
      if (acked !== undefined && acked >= since) continue;
      const escalated = board
        .entries('escalate')
        .some(
          (e) =>
            e.change.kind === 'escalate' &&
            e.change.alert.id === alert.id &&
            e.at > (acked ?? -Infinity),
        );
      if (!escalated) {
        violations.push({ at: now, what: `${code} high since ${now - since} ms, never escalated` });
      }
    }
    // The same, on the alert's own clock: open, high, clock 2 min old -> escalated since.
    for (const a of board.held()) {
      if (a.status !== 'open' || a.priority !== 'high') continue;
      const clock = Number(a.clockAt);
      const last = a.lastEscalatedAt === null ? null : Number(a.lastEscalatedAt);
      if (now - clock >= 120_000 && (last === null || last < clock)) {
        violations.push({
          at: now,
          what: `${a.condition} open and high on a ${now - clock} ms clock, not escalated`,
        });
      }
    }
  }
  return violations;
}

describe('alert lifecycle properties (CLINICAL.md v2)', () => {
  it('holds every lifecycle rule over arbitrary event sequences', () => {
    fc.assert(
      fc.property(steps, (all) => {
        expect(check(all)).toEqual([]);
      }),
      { numRuns: 400, seed: 20261201 },
    );
  });

  it('holds them on an SpO2 and HR device stream at 1 Hz with acknowledgements', () => {
    const oneHz = fc.array(
      fc.record({
        dt: fc.constant(1000),
        action: fc.oneof(
          { weight: 6, arbitrary: streamed('spo2', 86, 97) },
          { weight: 3, arbitrary: streamed('heart_rate', 110, 130) },
          {
            weight: 1,
            arbitrary: fc.record({ kind: fc.constant('ack' as const), pick: fc.nat() }),
          },
        ),
      }),
      { minLength: 100, maxLength: 400 },
    );
    fc.assert(
      fc.property(oneHz, (all) => {
        expect(check(all)).toEqual([]);
      }),
      // Long sequences shrink slowly: report the first counterexample as found.
      { numRuns: 150, seed: 42, endOnFailure: true },
    );
  });
});
