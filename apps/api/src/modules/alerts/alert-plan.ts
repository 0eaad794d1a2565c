import type { AlertPriority, SessionEventType } from '@vigil/contracts';
import { escalationDue, reconcileAlerts, type Condition, type Protocol } from '@vigil/clinical';
import type { AlertRow } from './alerts.repository';

/**
 * What the engine does to the `alerts` table and the event log, decided without I/O: the
 * conditions present now against the alerts held open, plus the escalations that have fallen due.
 */
export type AlertChange =
  | { kind: 'raise'; alertId: string; condition: Condition }
  | { kind: 'update'; alert: AlertRow; condition: Condition }
  | { kind: 'resolve'; alert: AlertRow }
  | {
      kind: 'escalate';
      alert: AlertRow;
      priority: AlertPriority;
      step: 'escalate' | 'remind';
      count: number;
    };

export function planAlertChanges(
  open: readonly AlertRow[],
  present: readonly Condition[],
  now: Date,
  protocol: Protocol,
  newId: () => string,
): AlertChange[] {
  const rec = reconcileAlerts(
    open.map((a) => ({
      id: a.id,
      condition: a.condition,
      priority: a.priority,
      message: a.message,
    })),
    present,
  );
  const byId = new Map(open.map((a) => [a.id, a]));
  const changes: AlertChange[] = [];
  const resolved = new Set(rec.resolve.map((r) => r.id));
  const priorityNow = new Map(open.map((a) => [a.id, a.priority]));
  for (const r of rec.resolve) changes.push({ kind: 'resolve', alert: byId.get(r.id)! });
  for (const u of rec.update) {
    changes.push({ kind: 'update', alert: byId.get(u.id)!, condition: u.condition });
    priorityNow.set(u.id, u.condition.priority);
  }
  for (const condition of rec.raise) changes.push({ kind: 'raise', alertId: newId(), condition });
  for (const alert of open) {
    if (resolved.has(alert.id)) continue;
    const priority = priorityNow.get(alert.id) ?? alert.priority;
    const due = escalationDue(
      {
        priority,
        status: alert.status,
        raisedAt: alert.raised_at,
        lastEscalatedAt: alert.last_escalated_at,
        acknowledgedAt: alert.acknowledged_at,
        silencedUntil: alert.silenced_until,
      },
      now,
      protocol,
    );
    if (due.due && due.kind) {
      changes.push({
        kind: 'escalate',
        alert,
        priority,
        step: due.kind,
        count: alert.escalation_count + 1,
      });
    }
  }
  return changes;
}

/** The session event for a change. `alert.raised` data is exactly the contract's, plus extras. */
export function alertEvent(
  change: AlertChange,
  now: Date,
): { type: SessionEventType; data: Record<string, unknown> } {
  switch (change.kind) {
    case 'raise':
    case 'update': {
      const c = change.condition;
      const alertId = change.kind === 'raise' ? change.alertId : change.alert.id;
      const data: Record<string, unknown> = {
        alertId,
        priority: c.priority,
        condition: c.condition,
        message: c.message,
        since: c.since,
      };
      if (c.value !== undefined) data.value = c.value;
      if (c.limit !== undefined) data.limit = c.limit;
      // A re-trigger is the same alert again (same alertId), never a second one.
      if (change.kind === 'update') {
        data.update = true;
        data.previousPriority = change.alert.priority;
      }
      return { type: 'alert.raised', data };
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
      const raisedMs = change.alert.raised_at.getTime();
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
          unacknowledgedSeconds: Math.floor((now.getTime() - raisedMs) / 1000),
        },
      };
    }
  }
}
