import type { AlertPriority, AlertStatus } from '@vigil/contracts';
import type { Condition } from './alert-types';
import { escalates, escalationDue } from './escalation';
import { durationMs, higherPriority, PRIORITY_RANK, type Protocol } from './protocol';
import { toEpochMs, type Instant } from './time';

/**
 * An alert as the API stores it: unresolved ones, plus those auto-resolved recently enough that
 * their condition coming back reopens them (the episode window, 10 min by default).
 */
export interface AlertRecord {
  id: string;
  condition: string;
  priority: AlertPriority;
  status: AlertStatus;
  message: string;
  /**
   * When the escalation clock started: the episode's first raise at a priority that escalates
   * (high, medium), a rise to one from low or informational, or a rise or repeat while acknowledged.
   */
  clockAt: Instant;
  acknowledgedAt: Instant | null;
  lastEscalatedAt: Instant | null;
  escalationCount: number;
  silencedUntil: Instant | null;
  resolvedAt: Instant | null;
  /** Resolved by the engine (condition cleared), not by a clinician or the session's end. */
  autoResolved: boolean;
  /** Reports of a latched condition so far (help presses); 1 otherwise. */
  count: number;
}

export type UpdateReason = 'value' | 'priority' | 'repeated' | 'reopened';

export type AlertChange =
  | { kind: 'raise'; alertId: string; condition: Condition }
  | {
      kind: 'update';
      alert: AlertRecord;
      condition: Condition;
      reason: UpdateReason;
      /** The alert is open again (it was acknowledged or auto-resolved) and must re-annunciate. */
      reopened: boolean;
      /**
       * The escalation clock (re)starts here: a rise or a repeat while acknowledged, or the first
       * rise to a priority that escalates (an informational pre-dose caution when the dose goes on).
       */
      restartClock: boolean;
      /**
       * A running silence ends: the alert re-annunciates (it reopened, or its priority rose,
       * CLINICAL.md's lifecycle: a quieter alarm's silence never covers a higher one).
       */
      endsSilence: boolean;
    }
  | { kind: 'resolve'; alert: AlertRecord }
  | {
      kind: 'escalate';
      alert: AlertRecord;
      priority: AlertPriority;
      step: 'escalate' | 'remind';
      count: number;
    };

export type AlertUpdate = Extract<AlertChange, { kind: 'update' }>;

/**
 * The alert lifecycle of CLINICAL.md v2, decided without I/O: the conditions present now against
 * the alerts held, plus the escalations that have fallen due.
 * - One alert per session and condition: a re-trigger updates it (`alert.updated`), never a
 *   second raise; duplicates already open are resolved, keeping the first.
 * - A condition back within the episode window of an auto-resolve reopens that alert: same id,
 *   and its escalation clock keeps counting from the episode's first raise.
 * - The priority never drops while an alert is held. An acknowledged alert whose priority rises,
 *   or whose latched condition is reported again (a second help press), is open again and its
 *   escalation clock restarts at that moment.
 * - The escalation clock counts time at a priority that escalates: an alert raised low or
 *   informational starts it when it first rises to medium or high (a pre-dose caution, informational
 *   at screening, becomes medium when dosing proceeds: 5 minutes from the dose, not from the
 *   screening half an hour before), in an episode reopened after an auto-resolve too.
 * - Escalation and reminders as `escalationDue` says, from the (possibly restarted) clock.
 */
export function planAlertLifecycle(
  alerts: readonly AlertRecord[],
  present: readonly Condition[],
  now: Instant,
  protocol: Protocol,
  newId: () => string,
): AlertChange[] {
  const nowMs = toEpochMs(now) ?? 0;
  const presentByCode = new Map<string, Condition>();
  for (const c of present) {
    const seen = presentByCode.get(c.condition);
    if (!seen || PRIORITY_RANK[c.priority] > PRIORITY_RANK[seen.priority]) {
      presentByCode.set(c.condition, c);
    }
  }
  const window = durationMs(protocol.timings.episodeReopenWindow);
  const changes: AlertChange[] = [];
  const held = new Map<string, AlertRecord>();
  const reopenable = new Map<string, AlertRecord>();
  for (const alert of alerts) {
    if (alert.status === 'resolved') {
      const resolvedMs = toEpochMs(alert.resolvedAt);
      const recent = resolvedMs !== null && nowMs - resolvedMs <= window;
      const latest = reopenable.get(alert.condition);
      if (alert.autoResolved && recent && (!latest || isLater(alert, latest))) {
        reopenable.set(alert.condition, alert);
      }
      continue;
    }
    if (held.has(alert.condition) || !presentByCode.has(alert.condition)) {
      changes.push({ kind: 'resolve', alert });
    } else {
      held.set(alert.condition, alert);
    }
  }

  const after = new Map<string, AlertRecord>();
  for (const [code, condition] of presentByCode) {
    const alert = held.get(code);
    if (alert) {
      const change = updateOf(alert, condition);
      if (change) changes.push(change);
      after.set(alert.id, change ? updatedAlert(alert, change, nowMs) : alert);
      continue;
    }
    const previous = reopenable.get(code);
    if (previous) {
      const priority = higherPriority(previous.priority, condition.priority);
      const change: AlertUpdate = {
        kind: 'update',
        alert: previous,
        condition: { ...condition, priority },
        reason: 'reopened',
        reopened: true,
        // The episode keeps its clock, unless it never reached a priority that escalates.
        restartClock: startsClock(previous.priority, priority),
        endsSilence: true,
      };
      changes.push(change);
      after.set(previous.id, updatedAlert(previous, change, nowMs));
      continue;
    }
    changes.push({ kind: 'raise', alertId: newId(), condition });
  }

  for (const alert of after.values()) {
    const due = escalationDue(
      {
        priority: alert.priority,
        status: alert.status,
        raisedAt: alert.clockAt,
        lastEscalatedAt: alert.lastEscalatedAt,
        acknowledgedAt: alert.acknowledgedAt,
        silencedUntil: alert.silencedUntil,
      },
      nowMs,
      protocol,
    );
    if (due.due && due.kind) {
      changes.push({
        kind: 'escalate',
        alert,
        priority: alert.priority,
        step: due.kind,
        count: alert.escalationCount + 1,
      });
    }
  }
  return changes;
}

function isLater(a: AlertRecord, b: AlertRecord): boolean {
  return (toEpochMs(a.resolvedAt) ?? 0) > (toEpochMs(b.resolvedAt) ?? 0);
}

/** What changed for a held alert, or null when nothing did. */
function updateOf(alert: AlertRecord, condition: Condition): AlertUpdate | null {
  const priority = higherPriority(alert.priority, condition.priority);
  const rose = priority !== alert.priority;
  const repeated = (condition.count ?? 1) > alert.count;
  const acknowledged = alert.status === 'acknowledged';
  const reason: UpdateReason | null = rose
    ? 'priority'
    : repeated
      ? 'repeated'
      : condition.message !== alert.message
        ? 'value'
        : null;
  if (!reason) return null;
  const reopens = acknowledged && (rose || repeated);
  return {
    kind: 'update',
    alert,
    condition: { ...condition, priority },
    reason,
    reopened: reopens,
    restartClock: reopens || startsClock(alert.priority, priority),
    endsSilence: reopens || rose,
  };
}

/**
 * A rise from a priority that never escalates (low, informational) to one that does: the time
 * before it was no one's to answer within 2 or 5 minutes, so the escalation clock starts here.
 */
function startsClock(from: AlertPriority, to: AlertPriority): boolean {
  return !escalates(from) && escalates(to);
}

/**
 * The alert as it stands after an update, as the API writes it (alert-writes.ts updateAlert): the
 * planner's input to the escalation check, and the in-memory board's record in tests.
 */
export function updatedAlert(alert: AlertRecord, change: AlertUpdate, nowMs: number): AlertRecord {
  const next: AlertRecord = {
    ...alert,
    priority: change.condition.priority,
    message: change.condition.message,
    count: change.condition.count ?? alert.count,
  };
  if (change.reopened) {
    next.status = 'open';
    next.acknowledgedAt = null;
    next.resolvedAt = null;
    next.autoResolved = false;
  }
  if (change.endsSilence) next.silencedUntil = null;
  if (change.restartClock) {
    next.clockAt = nowMs;
    next.lastEscalatedAt = null;
  }
  return next;
}
