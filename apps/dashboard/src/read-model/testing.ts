import type { SessionEvent, SessionEventType, SessionSummary } from '@vigil/contracts';
import { newAlertRecord } from './alert-records';
import {
  applyEvents,
  emptySessionModel,
  type AlertRecord,
  type SessionModel,
} from './session-model';

/** Test factories: a session's events in seq order, as the server would send them. */
export const T0 = Date.parse('2026-11-26T10:00:00Z');
export const iso = (msAfterT0: number) => new Date(T0 + msAfterT0).toISOString();

export function eventLog(sessionId = 's1') {
  let seq = 0;
  const events: SessionEvent[] = [];
  const add = (type: SessionEventType, at: number, data: Record<string, unknown>) => {
    // Built by hand as the server would send them, not parsed: a test may leave fields out.
    events.push({ sessionId, seq: ++seq, type, at: iso(at), actorId: null, data } as SessionEvent);
    return log;
  };
  const log = {
    events,
    add,
    vitals: (at: number, readings: Record<string, number>, measuredAt = at) =>
      add('vitals.recorded', at, {
        readings: Object.entries(readings).map(([kind, value]) => ({
          kind,
          value,
          measuredAt: iso(measuredAt),
        })),
      }),
    checkIn: (at: number, data: Record<string, unknown>) => add('checkin.recorded', at, data),
    raise: (at: number, alertId: string, priority: string, message: string, condition = 'x') =>
      add('alert.raised', at, { alertId, priority, condition, message }),
    /** v1.1 alert.updated: the same alert changed (value, priority, repeated, reopened). */
    update: (at: number, alertId: string, data: Record<string, unknown>) =>
      add('alert.updated', at, { alertId, reason: 'value', ...data }),
    model: (): SessionModel => applyEvents(emptySessionModel(), events),
  };
  return log;
}

export function makeAlert(over: Partial<AlertRecord> = {}): AlertRecord {
  return {
    ...newAlertRecord('a1', iso(0)),
    condition: 'sbp_high',
    priority: 'high',
    message: 'SBP 186 > 180',
    updatedAt: iso(0),
    ...over,
  };
}

/**
 * A live session as the list gives it, dosed at T0. `overrides` (v1.1) is spread in so the
 * factory fits SessionSummary before and after it gains it.
 */
export const summary = (id: string, name: string): SessionSummary => ({
  ...{ overrides: [] },
  id,
  patient: { id: `p-${id}`, name },
  clinician: { id: 'c1', name: 'Dr C' },
  state: 'monitoring',
  protocol: { id: 'p', name: 'Vigil default (oral)', version: 1 },
  scheduledFor: null,
  dosedAt: iso(0),
  endedAt: null,
  headSeq: 0,
});
