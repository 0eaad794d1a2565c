import type { AlertPriority, AlertSummary, SessionEvent, SessionEventOf } from '@vigil/contracts';
import { ALERT_PRIORITIES } from '@vigil/contracts';
import { escalates } from '@vigil/clinical';

/**
 * An alert's current state, folded from its alert.* events: AlertSummary's fields (derived from
 * it, so the two cannot drift apart) but for its REST-only ones, plus what the alarms need.
 */
export interface AlertRecord extends Omit<AlertSummary, 'sessionId' | 'raisedSeq'> {
  /**
   * How many times this alert has been announced: 1 when raised, +1 each time it must be
   * announced again (reopened, or its priority rose). The alarms key on it, so a reopened alert
   * sounds and notifies as a new one does; a value-only update leaves it alone.
   */
  annunciation: number;
  /** When it was last opened again (after an acknowledgement or an auto-resolve). */
  reopenedAt: string | null;
  /**
   * When its escalation clock last restarted, as the server counts it (CLINICAL.md v2): an
   * acknowledged alert opened again by a rise or a repeat, or an alert raised low or
   * informational at its first rise to medium or high (a pre-dose caution when the dose goes on);
   * null while it counts from the raise (an episode reopened after an auto-resolve keeps its
   * first raise).
   */
  clockRestartedAt: string | null;
  /** The priority before the last rise, while the rise is news. */
  raisedFrom: AlertPriority | null;
  /** Help presses or symptom reports so far (a repeated help press updates the alert). */
  count: number | null;
}

/** What an alert holds as it is raised, before anyone acts on it. */
export function newAlertRecord(
  id: string,
  raisedAt: string,
): Omit<AlertRecord, 'condition' | 'priority' | 'message' | 'updatedAt'> {
  return {
    id,
    status: 'open',
    raisedAt,
    acknowledgedAt: null,
    acknowledgedBy: null,
    resolvedAt: null,
    resolvedBy: null,
    resolutionNote: null,
    silencedUntil: null,
    escalationCount: 0,
    lastEscalatedAt: null,
    annunciation: 1,
    reopenedAt: null,
    clockRestartedAt: null,
    raisedFrom: null,
    count: null,
  };
}

/** Higher is more urgent (IEC 60601-1-8: high, medium, low, informational). */
const URGENCY: Record<AlertPriority, number> = { high: 3, medium: 2, low: 1, info: 0 };

export function priorityRose(from: AlertPriority, to: AlertPriority): boolean {
  return URGENCY[to] > URGENCY[from];
}

const isPriority = (v: unknown): v is AlertPriority =>
  (ALERT_PRIORITIES as readonly unknown[]).includes(v);

/** The alert.* events, each naming its alert. */
export type AlertEvent = Extract<SessionEvent, { type: `alert.${string}` }>;

/** Applies one alert.* event to the map of alerts by id (mutates the map it is given). */
export function applyAlertEvent(alerts: Record<string, AlertRecord>, event: AlertEvent): void {
  const id = event.data.alertId;
  if (!id) return;
  const prev = alerts[id];
  if (event.type === 'alert.raised') {
    const d = event.data;
    const priority = isPriority(d.priority) ? d.priority : 'high'; // unknown: fail loud, not quiet
    alerts[id] = {
      ...(prev ?? newAlertRecord(id, event.at)),
      condition: d.condition ?? prev?.condition ?? 'unknown',
      priority,
      message: d.message ?? prev?.message ?? '',
      updatedAt: event.at,
    };
    return;
  }
  if (!prev) return; // an action on an alert raised before our window: nothing to update
  const updated: AlertRecord = { ...prev, updatedAt: event.at };
  switch (event.type) {
    case 'alert.updated':
      applyUpdate(updated, prev, event);
      break;
    case 'alert.acknowledged':
      updated.status = 'acknowledged';
      updated.acknowledgedAt = event.at;
      updated.acknowledgedBy = event.data.by ?? event.actorId;
      break;
    case 'alert.resolved':
      updated.status = 'resolved';
      updated.resolvedAt = event.at;
      updated.resolvedBy = event.data.auto === true ? null : (event.data.by ?? event.actorId);
      updated.resolutionNote = event.data.note ?? event.data.reason ?? null;
      break;
    case 'alert.silenced':
      updated.silencedUntil = event.data.silencedUntil ?? null;
      break;
    case 'alert.escalated':
      updated.escalationCount = event.data.escalationCount ?? prev.escalationCount + 1;
      updated.lastEscalatedAt = event.at;
      if (isPriority(event.data.priority)) updated.priority = event.data.priority;
      break;
  }
  alerts[id] = updated;
}

/**
 * v1.1 `alert.updated`: new value, priority, count or an episode reopened. `reopened: true`, or
 * a priority rise on an acknowledged alert (CLINICAL.md v2: it is open again), puts it back to
 * open with the acknowledgement cleared and no silence left, and counts a new annunciation; a
 * value-only update changes the text silently.
 */
function applyUpdate(
  updated: AlertRecord,
  prev: AlertRecord,
  event: SessionEventOf<'alert.updated'>,
): void {
  const d = event.data;
  const priority = isPriority(d.priority) ? d.priority : prev.priority;
  const before = isPriority(d.previousPriority) ? d.previousPriority : prev.priority;
  const rose = priorityRose(before, priority);
  updated.priority = priority;
  updated.condition = d.condition ?? prev.condition;
  updated.message = d.message ?? prev.message;
  updated.count = d.count ?? prev.count;
  if (rose) updated.raisedFrom = before;
  if (d.reopened === true || rose) {
    updated.annunciation = prev.annunciation + 1;
    updated.silencedUntil = null;
  }
  // As libs/clinical's lifecycle: time at low or informational is not on the escalation clock.
  const clockStarts = rose && !escalates(before) && escalates(priority);
  if ((prev.status === 'acknowledged' && (d.reopened === true || rose)) || clockStarts) {
    updated.clockRestartedAt = event.at;
    // As the server does: the restarted clock escalates afresh, not as a reminder of the last.
    updated.lastEscalatedAt = null;
  }
  if (d.reopened === true || (rose && prev.status === 'acknowledged')) {
    updated.status = 'open';
    updated.acknowledgedAt = null;
    updated.acknowledgedBy = null;
    updated.resolvedAt = null;
    updated.resolvedBy = null;
    updated.resolutionNote = null;
    updated.reopenedAt = event.at;
  }
}
