import { applyHolds } from './alert-holds';
import {
  asRecord,
  ingestCheckIn,
  ingestHelp,
  ingestPresence,
  ingestReading,
  ingestScreening,
  ingestStateChange,
  parseReadings,
  readingOrigin,
} from './alert-events';
import type {
  AlertEngineContext,
  AlertEngineState,
  Condition,
  EngineEvent,
  EngineResult,
} from './alert-types';
import { PRIORITY_RANK, type Protocol } from './protocol';
import { TERMINAL_STATES } from './state-machine';
import { timeConditions } from './time-rules';
import { isFiniteNumber, toEpochMs, type Instant } from './time';
import { vitalCandidates } from './vital-rules';

/**
 * The incremental alert engine. Each call costs O(1) in the number of past events: the state
 * keeps the last value and time per reading kind, pending holds and latched conditions, and
 * never re-reads history. Every call returns the full set of conditions present now.
 */
export function createAlertEngineState(context: AlertEngineContext): AlertEngineState {
  const dosedAt = toEpochMs(context.dosedAt);
  // An engine started for a session already dosed: monitoring began at the dose at the latest, so
  // a device never heard is offline 60 s after it (CLINICAL.md v2), not never.
  const dosing = ['dosed', 'monitoring', 'recovery'].includes(context.sessionState ?? '');
  return {
    protocolRef: context.protocol
      ? { id: context.protocol.id, version: context.protocol.version }
      : null,
    baseline: context.baseline,
    preDoseMoaas: isFiniteNumber(context.preDoseMoaas) ? context.preDoseMoaas : null,
    supplementalOxygen: context.supplementalOxygen ?? null,
    sessionState: context.sessionState ?? null,
    clock: null,
    dosedAt,
    monitoringStartedAt: dosing ? dosedAt : null,
    lastCheckInAt: toEpochMs(context.lastCheckInAt),
    lastHeartbeatAt: toEpochMs(context.lastHeartbeatAt),
    readings: {},
    moaas: null,
    holds: {},
    latched: {},
    manualResolves: {},
  };
}

/** Ingests one event, then evaluates at the event's time (never earlier than the last seen). */
export function applyEvent(
  state: AlertEngineState,
  event: EngineEvent,
  protocol: Protocol,
): EngineResult {
  const eventAt = toEpochMs(event.at);
  if (eventAt === null)
    return state.clock === null
      ? { state, conditions: [] }
      : evaluate(state, state.clock, protocol);
  const at = Math.max(eventAt, state.clock ?? eventAt);
  const data = asRecord(event.data);
  let next = state;
  switch (event.type) {
    case 'vitals.recorded': {
      // Each reading moves the holds at its own time, so a buffered batch is judged as a stream.
      // The last reading is judged by the evaluation below, at the event's time.
      const origin = readingOrigin(data, event.actorId);
      const readings = parseReadings(data, eventAt, event.seq, origin);
      for (const [i, reading] of readings.entries()) {
        next = ingestReading(next, reading, protocol, at);
        if (i < readings.length - 1) {
          next = moveHolds(next, Math.max(reading.at, next.clock ?? reading.at), protocol);
        }
      }
      next = { ...next, lastHeartbeatAt: Math.max(eventAt, next.lastHeartbeatAt ?? eventAt) };
      break;
    }
    case 'checkin.recorded':
      next = ingestCheckIn(next, data, at, protocol, event.seq);
      break;
    case 'help.requested':
      next = ingestHelp(next, at, protocol);
      break;
    case 'presence.changed':
      next = ingestPresence(next, data, at);
      break;
    case 'session.state_changed':
      next = ingestStateChange(next, data, at);
      break;
    case 'screening.submitted':
      next = ingestScreening(next, data, at, protocol);
      break;
    default:
      break;
  }
  return evaluate(next, at, protocol);
}

/** Time-driven evaluation: overdue check-ins, device offline, holds maturing. */
export function evaluateAt(
  state: AlertEngineState,
  now: Instant,
  protocol: Protocol,
): EngineResult {
  const nowMs = toEpochMs(now);
  if (nowMs === null && state.clock === null) return { state, conditions: [] };
  return evaluate(state, Math.max(nowMs ?? -Infinity, state.clock ?? -Infinity), protocol);
}

/** A heartbeat that is not stored as an event (socket `presence.heartbeat`). */
export function recordHeartbeat(state: AlertEngineState, at: Instant): AlertEngineState {
  const ms = toEpochMs(at);
  if (ms === null) return state;
  return { ...state, lastHeartbeatAt: Math.max(ms, state.lastHeartbeatAt ?? ms) };
}

/**
 * A clinician has resolved the alert of a help request, symptom or PHQ-9 answer: the reports it
 * announced stop being present. CLINICAL.md v2: "A repeated help press updates the help alert ...
 * and, if it was acknowledged, opens it again". A press committed before the resolve but judged
 * after it (an instance that died between commit and processing, whose events the watchdog
 * catches up, or a busy pass) was never in front of the clinician: it stays latched, counted and
 * timed on its own, and raises an alert of its own. Replaying the resolve event after such a
 * press cleared it with the first, and nothing was ever raised for it.
 */
export function clearLatched(state: AlertEngineState, condition: string): AlertEngineState {
  const left = state.unannounced?.[condition];
  if (!(condition in state.latched) && !left) return state;
  const latched = { ...state.latched };
  const unannounced = { ...state.unannounced };
  if (left) latched[condition] = left;
  else delete latched[condition];
  delete unannounced[condition];
  return { ...state, latched, unannounced };
}

/**
 * The alerts now show these latched conditions as they stand (all of them without `condition`):
 * the pass that judged the state raised or updated their alerts, or the log holds the engine's
 * `alert.raised` / `alert.updated` for one (an engine replaying the log meets its own past output).
 */
export function announceLatched(state: AlertEngineState, condition?: string): AlertEngineState {
  if (!state.unannounced) return state;
  if (condition === undefined) {
    const next = { ...state };
    delete next.unannounced;
    return next;
  }
  if (!(condition in state.unannounced)) return state;
  const unannounced = { ...state.unannounced };
  delete unannounced[condition];
  return { ...state, unannounced };
}

/** Moves the vital holds to `now` without judging the rest: enough between readings of a batch. */
function moveHolds(state: AlertEngineState, now: number, protocol: Protocol): AlertEngineState {
  if (state.sessionState !== null && TERMINAL_STATES.includes(state.sessionState)) return state;
  const { holds } = applyHolds(
    state.holds,
    vitalCandidates(state, now, protocol),
    now,
    protocol,
    state.manualResolves,
  );
  return { ...state, holds, clock: now };
}

function evaluate(state: AlertEngineState, now: number, protocol: Protocol): EngineResult {
  // v2: no alert outlives its session.
  if (state.sessionState !== null && TERMINAL_STATES.includes(state.sessionState)) {
    return {
      state: { ...state, holds: {}, latched: {}, unannounced: {}, clock: now },
      conditions: [],
    };
  }
  const { holds, conditions: vital } = applyHolds(
    state.holds,
    vitalCandidates(state, now, protocol),
    now,
    protocol,
    state.manualResolves,
  );
  const latched = Object.values(state.latched).filter((c): c is Condition => c !== undefined);
  const all = [...vital, ...timeConditions(state, now, protocol), ...latched];
  const news2High = all.some((c) => c.condition === 'news2_high');
  const conditions = all
    .filter((c) => !(news2High && c.condition === 'news2_medium'))
    .sort(
      (a, b) =>
        PRIORITY_RANK[b.priority] - PRIORITY_RANK[a.priority] ||
        (a.condition < b.condition ? -1 : a.condition > b.condition ? 1 : 0),
    );
  return { state: { ...state, holds, clock: now }, conditions };
}
