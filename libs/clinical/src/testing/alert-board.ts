import {
  planAlertLifecycle,
  updatedAlert,
  type AlertChange,
  type AlertRecord,
} from '../alert-lifecycle';
import type { Condition } from '../alert-types';
import type { Protocol } from '../protocol';

/** One change as the board applied it, with the time it was planned at. */
export interface BoardEntry {
  at: number;
  change: AlertChange;
}

/**
 * The API's side of the lifecycle, in memory: the alert records a session holds, updated from
 * planAlertLifecycle's changes the way the API applies them (raise, update as the lib's
 * updatedAlert says, resolve, escalate), plus the clinician's acknowledge and silence. Every change is logged for the assertions.
 */
export class AlertBoard {
  readonly records: AlertRecord[] = [];
  readonly log: BoardEntry[] = [];
  private nextId = 1;

  constructor(private readonly protocol: Protocol) {}

  /** Judges the conditions present at `now` against the alerts held and applies the plan. */
  judge(conditions: readonly Condition[], now: number): AlertChange[] {
    const changes = planAlertLifecycle(this.records, conditions, now, this.protocol, () => {
      return `a${this.nextId++}`;
    });
    for (const change of changes) this.apply(change, now);
    return changes;
  }

  acknowledge(id: string, at: number): void {
    const alert = this.byId(id);
    if (alert.status !== 'open') return;
    alert.status = 'acknowledged';
    alert.acknowledgedAt = at;
  }

  /** A clinician's resolve: it closes the episode (never reopened by the engine). */
  resolve(id: string, at: number): void {
    const alert = this.byId(id);
    alert.status = 'resolved';
    alert.resolvedAt = at;
    alert.autoResolved = false;
  }

  silence(id: string, until: number): void {
    this.byId(id).silencedUntil = until;
  }

  /** Unresolved alerts (open or acknowledged). */
  held(): AlertRecord[] {
    return this.records.filter((a) => a.status !== 'resolved');
  }

  heldFor(condition: string): AlertRecord | undefined {
    return this.held().find((a) => a.condition === condition);
  }

  entries(kind: AlertChange['kind']): BoardEntry[] {
    return this.log.filter((e) => e.change.kind === kind);
  }

  byId(id: string): AlertRecord {
    const alert = this.records.find((a) => a.id === id);
    if (!alert) throw new Error(`no alert ${id}`);
    return alert;
  }

  private apply(change: AlertChange, now: number): void {
    this.log.push({ at: now, change });
    switch (change.kind) {
      case 'raise': {
        const c = change.condition;
        this.records.push({
          id: change.alertId,
          condition: c.condition,
          priority: c.priority,
          status: 'open',
          message: c.message,
          clockAt: now,
          acknowledgedAt: null,
          lastEscalatedAt: null,
          escalationCount: 0,
          silencedUntil: null,
          resolvedAt: null,
          autoResolved: false,
          count: c.count ?? 1,
        });
        return;
      }
      case 'update': {
        const alert = this.byId(change.alert.id);
        Object.assign(alert, updatedAlert(alert, change, now));
        return;
      }
      case 'resolve': {
        const alert = this.byId(change.alert.id);
        alert.status = 'resolved';
        alert.resolvedAt = now;
        alert.autoResolved = true;
        return;
      }
      case 'escalate': {
        const alert = this.byId(change.alert.id);
        alert.lastEscalatedAt = now;
        alert.escalationCount = change.count;
        return;
      }
    }
  }
}
