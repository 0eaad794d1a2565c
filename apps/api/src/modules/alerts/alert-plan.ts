import type { AlertRaisedData, SessionEventBody, SessionState } from '@vigil/contracts';
import {
  announceLatched,
  durationMs,
  evaluateAt,
  noteManualResolves,
  planAlertLifecycle,
  recordHeartbeat,
  type AlertChange,
  type AlertRecord,
  type AlertEngineState,
  type Protocol,
} from '@vigil/clinical';
import { toAlertRecord, type AlertRow } from './alerts.repository';

export type { AlertChange };

/** What the engine knows of a session besides its events. */
export interface JudgedSession {
  state: SessionState;
  /** When the patient's device was last heard: its heartbeats are not events. */
  deviceLastSeenAt: Date | null;
}

/**
 * One session judged at `now`, without I/O: the engine's conditions (the device's last heartbeat
 * counts as a sign of life, like a submission) against the alerts held, through the pure
 * lifecycle of libs/clinical. The watchdog's unlocked probe and the locked pass share it. The
 * clinicians' resolves come from the alert rows, so an engine state that lacks them (rebuilt, or
 * stored before they were kept) never re-raises what a clinician has already judged.
 */
export function judgeSession(
  engine: AlertEngineState,
  session: JudgedSession,
  alerts: readonly AlertRow[],
  now: Date,
  protocol: Protocol,
  newId: () => string,
): { state: AlertEngineState; changes: AlertChange[] } {
  return judgeNoted(noteHeldAlerts(engine, alerts), session, now, protocol, newId);
}

/** The held alerts as the lifecycle reads them, and the engine state that knows their resolves. */
export interface NotedAlerts {
  state: AlertEngineState;
  records: AlertRecord[];
}

/** Converts the held alert rows once and notes the clinicians' resolves into the engine state. */
export function noteHeldAlerts(engine: AlertEngineState, alerts: readonly AlertRow[]): NotedAlerts {
  const records = alerts.map(toAlertRecord);
  return { state: noteManualResolves(engine, records), records };
}

/**
 * judgeSession for a state already noted (noteHeldAlerts): the locked pass notes the resolves
 * before applying its events and judges with the same records, so neither is done twice.
 */
export function judgeNoted(
  noted: NotedAlerts,
  session: JudgedSession,
  now: Date,
  protocol: Protocol,
  newId: () => string,
): { state: AlertEngineState; changes: AlertChange[] } {
  const { state, records } = noted;
  const heard = session.deviceLastSeenAt ? recordHeartbeat(state, session.deviceLastSeenAt) : state;
  const evaluated = evaluateAt(heard, now, protocol);
  const changes = planAlertLifecycle(records, evaluated.conditions, now, protocol, newId);
  // The changes raise or update an alert for every latched report (or it shows it already): once
  // they are written with this state, a clinician's resolve covers them all.
  return { state: announceLatched(evaluated.state), changes };
}

/** How far back an auto-resolved alert can still be reopened (CLINICAL.md v2: 10 minutes). */
export function reopenableSince(now: Date, protocol: Protocol): Date {
  return new Date(now.getTime() - durationMs(protocol.timings.episodeReopenWindow));
}

/**
 * The session event for a change. `alert.raised` data is exactly the contract's, plus extras,
 * and is sent once per alert; every later change is `alert.updated` (contract v1.1).
 */
/** The events the engine writes: an alert's lifecycle, never a clinician's action on it. */
export type EngineAlertEvent = Extract<
  SessionEventBody,
  { type: 'alert.raised' | 'alert.updated' | 'alert.resolved' | 'alert.escalated' }
>;

export function alertEvent(change: AlertChange, now: Date): EngineAlertEvent {
  switch (change.kind) {
    case 'raise':
    case 'update': {
      const c = change.condition;
      const alertId = change.kind === 'raise' ? change.alertId : change.alert.id;
      const data: AlertRaisedData = {
        alertId,
        priority: c.priority,
        condition: c.condition,
        message: c.message,
        since: c.since,
      };
      if (c.value !== undefined) data.value = c.value;
      if (c.limit !== undefined) data.limit = c.limit;
      if (c.count !== undefined) data.count = c.count;
      if (change.kind === 'raise') return { type: 'alert.raised', data };
      return {
        type: 'alert.updated',
        data: {
          ...data,
          reason: change.reason,
          previousPriority: change.alert.priority,
          ...(change.reopened ? { reopened: true as const } : {}),
        },
      };
    }
    case 'resolve':
      return {
        type: 'alert.resolved',
        data: {
          alertId: change.alert.id,
          condition: change.alert.condition,
          priority: change.alert.priority,
          auto: true,
          reason: 'condition cleared',
        },
      };
    case 'escalate': {
      const clockMs = new Date(change.alert.clockAt).getTime();
      return {
        type: 'alert.escalated',
        data: {
          alertId: change.alert.id,
          priority: change.priority,
          condition: change.alert.condition,
          message: change.alert.message,
          step: change.step,
          to: 'supervisor',
          escalationCount: change.count,
          unacknowledgedSeconds: Math.floor((now.getTime() - clockMs) / 1000),
        },
      };
    }
  }
}
