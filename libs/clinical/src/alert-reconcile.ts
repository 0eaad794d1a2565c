import type { AlertPriority } from '@vigil/contracts';
import type { Condition } from './alert-types';
import { higherPriority, PRIORITY_RANK } from './protocol';

/** An alert the API holds open (status open or acknowledged) for one session. */
export interface OpenAlert {
  id: string;
  condition: string;
  priority: AlertPriority;
  message?: string;
}

export interface AlertReconciliation {
  raise: Condition[];
  /** Same alert, priority raised or message changed. The priority never drops while open. */
  update: Array<{ id: string; condition: Condition }>;
  resolve: Array<{ id: string; condition: string }>;
}

/**
 * Diffs the open alerts against the conditions present now so that a session never has two
 * open alerts for one condition: a re-trigger updates, never duplicates. Duplicates already
 * open (from older data) are resolved, keeping the first.
 */
export function reconcileAlerts(
  open: readonly OpenAlert[],
  present: readonly Condition[],
): AlertReconciliation {
  const presentByCode = new Map<string, Condition>();
  for (const c of present) {
    const seen = presentByCode.get(c.condition);
    if (!seen || PRIORITY_RANK[c.priority] > PRIORITY_RANK[seen.priority]) {
      presentByCode.set(c.condition, c);
    }
  }
  const result: AlertReconciliation = { raise: [], update: [], resolve: [] };
  const kept = new Map<string, OpenAlert>();
  for (const alert of open) {
    if (kept.has(alert.condition) || !presentByCode.has(alert.condition)) {
      result.resolve.push({ id: alert.id, condition: alert.condition });
    } else {
      kept.set(alert.condition, alert);
    }
  }
  for (const [code, condition] of presentByCode) {
    const alert = kept.get(code);
    if (!alert) {
      result.raise.push(condition);
      continue;
    }
    const priority = higherPriority(alert.priority, condition.priority);
    const raised = priority !== alert.priority;
    const changed = alert.message !== undefined && alert.message !== condition.message;
    if (raised || changed)
      result.update.push({ id: alert.id, condition: { ...condition, priority } });
  }
  return result;
}
