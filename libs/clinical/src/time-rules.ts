import { LIVE_STATES, type SessionState } from '@vigil/contracts';
import type { AlertEngineState, Condition } from './alert-types';
import { durationMs, relation, type Protocol } from './protocol';
import { MS_PER_MINUTE, MS_PER_SECOND, toIso } from './time';

const DOSED_STATES: readonly SessionState[] = ['dosed', 'monitoring', 'recovery'];

/** Conditions that appear with the passage of time alone: no delay applies to them. */
export function timeConditions(
  state: AlertEngineState,
  now: number,
  protocol: Protocol,
): Condition[] {
  return [checkInOverdue(state, now, protocol), deviceOffline(state, now, protocol)].filter(
    (c): c is Condition => c !== null,
  );
}

/**
 * CLINICAL.md: none within 15 min + 5 min grace is medium, high after a further 5 min,
 * counted from the last check-in, or from the dose / monitoring start before the first one.
 */
function checkInOverdue(
  state: AlertEngineState,
  now: number,
  protocol: Protocol,
): Condition | null {
  const dosed =
    state.sessionState === null
      ? state.dosedAt !== null
      : DOSED_STATES.includes(state.sessionState);
  const starts = [state.dosedAt, state.monitoringStartedAt].filter((t): t is number => t !== null);
  if (!dosed || starts.length === 0) return null;
  const from = Math.max(...starts, state.lastCheckInAt ?? -Infinity);
  const t = protocol.timings;
  const mediumAfter = durationMs(t.checkInInterval) + durationMs(t.checkInGrace);
  const highAfter = mediumAfter + durationMs(t.checkInOverdueHighAfter);
  const elapsed = now - from;
  if (elapsed < mediumAfter) return null;
  const high = elapsed >= highAfter;
  const limitMin = (high ? highAfter : mediumAfter) / MS_PER_MINUTE;
  const value = Math.floor(elapsed / MS_PER_MINUTE);
  const p = protocol.priorities;
  return {
    condition: 'checkin_overdue',
    priority: high ? p.checkInOverdueEscalated.priority : p.checkInOverdue.priority,
    message: `No check-in for ${value} min ${relation(value, { comparator: '>=', value: limitMin })} ${limitMin}`,
    value,
    limit: limitMin,
    since: toIso(from + mediumAfter),
  };
}

/** CLINICAL.md: patient device or app offline, no heartbeat for 60 s: low (technical). */
function deviceOffline(state: AlertEngineState, now: number, protocol: Protocol): Condition | null {
  const live = state.sessionState === null || LIVE_STATES.includes(state.sessionState);
  if (!live || state.lastHeartbeatAt === null) return null;
  const timeout = durationMs(protocol.timings.heartbeatTimeout);
  const elapsed = now - state.lastHeartbeatAt;
  if (elapsed < timeout) return null;
  const value = Math.floor(elapsed / MS_PER_SECOND);
  const limit = timeout / MS_PER_SECOND;
  return {
    condition: 'device_offline',
    priority: protocol.priorities.deviceOffline.priority,
    message: `No heartbeat for ${value} s ${relation(value, { comparator: '>=', value: limit })} ${limit}`,
    value,
    limit,
    since: toIso(state.lastHeartbeatAt + timeout),
  };
}
