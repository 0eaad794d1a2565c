import type { AlertPriority, SessionSummary } from '@vigil/contracts';
import type { SessionModel } from '../../read-model/session-model';

/** One escalated alert nobody has acknowledged yet: what the supervisor's inbox lists. */
export interface InboxItem {
  sessionId: string;
  alertId: string;
  patientName: string;
  /** The clinician paged first (the session's); the escalation then paged the supervisors. */
  clinicianName: string;
  priority: AlertPriority;
  message: string;
  escalationCount: number;
  /** When its escalation clock started: raised, first risen to medium or high, or opened again. */
  since: string;
  unacknowledgedMs: number;
}

const URGENCY: Record<AlertPriority, number> = { high: 3, medium: 2, low: 1, info: 0 };

/**
 * Open (unacknowledged) alerts that have been escalated to the supervisors, most urgent first,
 * then longest waiting. Built from the same session event logs the board folds, so it is live
 * and agrees with what the clinicians see.
 */
export function escalationInbox(
  models: ReadonlyMap<string, SessionModel>,
  sessions: readonly SessionSummary[],
  now: number,
): InboxItem[] {
  const byId = new Map(sessions.map((s) => [s.id, s] as const));
  const items: InboxItem[] = [];
  for (const [sessionId, model] of models) {
    const session = byId.get(sessionId);
    for (const alert of Object.values(model.alerts)) {
      // Escalated since its clock last (re)started: the count alone outlives an acknowledgement,
      // so an alert opened again would be listed before the server pages anyone again.
      if (alert.status !== 'open' || alert.lastEscalatedAt === null) continue;
      // Unacknowledged since its escalation clock started, as the server escalates it.
      const since = alert.clockRestartedAt ?? alert.raisedAt;
      items.push({
        sessionId,
        alertId: alert.id,
        patientName: session?.patient.name ?? 'Unknown patient',
        clinicianName: session?.clinician.name ?? 'the assigned clinician',
        priority: alert.priority,
        message: alert.message,
        escalationCount: alert.escalationCount,
        since,
        unacknowledgedMs: Math.max(0, now - Date.parse(since)),
      });
    }
  }
  return items.sort(
    (a, b) => URGENCY[b.priority] - URGENCY[a.priority] || b.unacknowledgedMs - a.unacknowledgedMs,
  );
}
