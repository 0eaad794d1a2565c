import { LIVE_STATES, type AlertPriority, type SessionState } from '@vigil/contracts';
import type { AlertEngineState, Condition } from './alert-types';
import { durationMs, PRIORITY_RANK, type Protocol } from './protocol';
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
 * CLINICAL.md v2: none within 15 min + 5 min grace is medium, high after a further 5 min,
 * counted from the last check-in that carried MOAA/S, or before the first one from the time the
 * dose was taken (the session clock starts there). The message stays the same within a
 * priority, so a long wait does not re-announce the alert every minute.
 *
 * A clinician's resolve of the overdue alert (they called the support person: the patient is
 * fine) restarts the count for the levels up to the one resolved, as a resolve bars a vital
 * condition's evidence: without it the next watchdog tick raised a new alert at once, and again
 * after every resolve ("one open alert per condition ... never a string of short alerts that each
 * restart the clock"). A higher level, still counted from the check-in, is a worse situation.
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
  const start = state.dosedAt ?? state.monitoringStartedAt;
  if (!dosed || start === null) return null;
  const lastCheckIn = Math.max(start, state.lastCheckInAt ?? -Infinity);
  const resolved = state.manualResolves?.checkin_overdue;
  const fromFor = (priority: AlertPriority) =>
    resolved &&
    resolved.at > lastCheckIn &&
    PRIORITY_RANK[priority] <= PRIORITY_RANK[resolved.priority]
      ? resolved.at
      : lastCheckIn;
  const t = protocol.timings;
  const p = protocol.priorities;
  const mediumAfter = durationMs(t.checkInInterval) + durationMs(t.checkInGrace);
  const highAfter = mediumAfter + durationMs(t.checkInOverdueHighAfter);
  const highFrom = fromFor(p.checkInOverdueEscalated.priority);
  const high = now - highFrom >= highAfter;
  const from = high ? highFrom : fromFor(p.checkInOverdue.priority);
  if (!high && now - from < mediumAfter) return null;
  const limitMin = (high ? highAfter : mediumAfter) / MS_PER_MINUTE;
  return {
    condition: 'checkin_overdue',
    priority: high ? p.checkInOverdueEscalated.priority : p.checkInOverdue.priority,
    message: `No check-in for ${limitMin} min`,
    value: limitMin,
    limit: limitMin,
    since: toIso(from + mediumAfter),
  };
}

export interface DeviceSilence {
  /** The session is live (screening to recovery). */
  live: boolean;
  /** When the patient's device was last heard, or null if never. */
  lastSeenAt: number | null;
  /** When monitoring began (dosed), or null before: a device never heard counts from then. */
  monitoringStartedAt: number | null;
  /**
   * When a clinician last resolved the offline alert by hand, or null: the silence counts again
   * from then (see checkInOverdue), or the next tick raised a new alert at once.
   */
  resolvedAt?: number | null;
}

/**
 * CLINICAL.md v2: patient device or app offline, no heartbeat for 60 s, and also when none has
 * come 60 s after monitoring starts: low (technical). One stable message per silence, so a long
 * silence is one alert, not an update every minute.
 */
export function deviceOfflineCondition(
  silence: DeviceSilence,
  now: number,
  protocol: Protocol,
): Condition | null {
  const heard = silence.lastSeenAt ?? silence.monitoringStartedAt;
  if (!silence.live || heard === null) return null;
  const from = Math.max(heard, silence.resolvedAt ?? -Infinity);
  const timeout = durationMs(protocol.timings.heartbeatTimeout);
  if (now - from < timeout) return null;
  const limit = timeout / MS_PER_SECOND;
  return {
    condition: 'device_offline',
    priority: protocol.priorities.deviceOffline.priority,
    // The patient's phone sends the heartbeats (check-ins, help, presence); "the phone" is what
    // the clinician will call. The text stays the same for one silence (one alert, no updates).
    message:
      silence.lastSeenAt === null ? 'Phone silent since dose' : `Phone silent over ${limit} s`,
    value: limit,
    limit,
    since: toIso(from + timeout),
  };
}

function deviceOffline(state: AlertEngineState, now: number, protocol: Protocol): Condition | null {
  const live = state.sessionState === null || LIVE_STATES.includes(state.sessionState);
  return deviceOfflineCondition(
    {
      live,
      lastSeenAt: state.lastHeartbeatAt,
      monitoringStartedAt: state.monitoringStartedAt,
      resolvedAt: state.manualResolves?.device_offline?.at ?? null,
    },
    now,
    protocol,
  );
}
