import type { AlertPriority, AlertStatus } from '@vigil/contracts';
import { durationMs, type Protocol } from './protocol';
import { toEpochMs, toIso, type Instant } from './time';

export interface EscalatableAlert {
  priority: AlertPriority;
  status: AlertStatus;
  raisedAt: Instant;
  lastEscalatedAt: Instant | null;
  acknowledgedAt: Instant | null;
  silencedUntil: Instant | null;
}

export interface EscalationDecision {
  due: boolean;
  /** 'escalate' the first time (to the supervisor on duty), 'remind' after that. */
  kind: 'escalate' | 'remind' | null;
  /** When the next escalation or reminder falls due (ISO 8601), or null if never. */
  nextDueAt: string | null;
}

const NEVER: EscalationDecision = { due: false, kind: null, nextDueAt: null };

/**
 * Whether an alert of this priority goes to the supervisor when nobody acknowledges it
 * (CLINICAL.md: high and medium). Low and informational alerts never escalate, so time spent at
 * them is not time on the escalation clock (alert-lifecycle.ts starts it at the rise).
 */
export function escalates(priority: AlertPriority): boolean {
  return priority === 'high' || priority === 'medium';
}

/**
 * CLINICAL.md: a high alert unacknowledged for 2 minutes (medium 5) goes to the supervisor,
 * and reminders repeat until someone acknowledges. A silence defers a reminder (by at most its
 * own 2 minutes) but never the first escalation; low and informational alerts never escalate.
 */
export function escalationDue(
  alert: EscalatableAlert,
  now: Instant,
  protocol: Protocol,
): EscalationDecision {
  const t = protocol.timings;
  const after =
    alert.priority === 'high'
      ? durationMs(t.escalationHigh)
      : alert.priority === 'medium'
        ? durationMs(t.escalationMedium)
        : null;
  const raisedMs = toEpochMs(alert.raisedAt);
  const nowMs = toEpochMs(now);
  if (after === null || alert.status !== 'open' || alert.acknowledgedAt !== null) return NEVER;
  if (raisedMs === null || nowMs === null) return NEVER;
  const lastMs = toEpochMs(alert.lastEscalatedAt);
  if (lastMs === null) {
    const dueAt = raisedMs + after;
    return { due: nowMs >= dueAt, kind: 'escalate', nextDueAt: toIso(dueAt) };
  }
  const silencedMs = toEpochMs(alert.silencedUntil) ?? -Infinity;
  // A silence defers a reminder by at most the longest silence (2 minutes): renewed before it
  // ends, again and again, without an acknowledgement, it would otherwise stop the supervisor's
  // reminders for as long as someone keeps pressing it, an indefinite "alarms off".
  const due = lastMs + durationMs(t.reminderInterval);
  const dueAt = Math.min(Math.max(due, silencedMs), due + durationMs(t.silenceMax));
  return { due: nowMs >= dueAt, kind: 'remind', nextDueAt: toIso(dueAt) };
}

/** A silence is time-limited: never beyond the protocol's maximum (2 minutes) from now. */
export function clampSilence(
  requestedUntil: Instant,
  now: Instant,
  protocol: Protocol,
): string | null {
  const requested = toEpochMs(requestedUntil);
  const nowMs = toEpochMs(now);
  if (requested === null || nowMs === null) return null;
  return toIso(Math.min(requested, nowMs + durationMs(protocol.timings.silenceMax)));
}
