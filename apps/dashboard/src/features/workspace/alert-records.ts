import type { AlertPriority, AlertStatus, SessionEvent } from '@vigil/contracts';
import { ALERT_PRIORITIES } from '@vigil/contracts';

/** An alert's current state, folded from its alert.* events (same fields as AlertSummary). */
export interface AlertRecord {
  id: string;
  condition: string;
  priority: AlertPriority;
  message: string;
  status: AlertStatus;
  raisedAt: string;
  updatedAt: string;
  acknowledgedAt: string | null;
  acknowledgedBy: string | null;
  resolvedAt: string | null;
  resolvedBy: string | null;
  resolutionNote: string | null;
  silencedUntil: string | null;
  escalationCount: number;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const num = (v: unknown): number | undefined =>
  typeof v === 'number' && Number.isFinite(v) ? v : undefined;
const isPriority = (v: unknown): v is AlertPriority =>
  (ALERT_PRIORITIES as readonly unknown[]).includes(v);

/** Applies one alert.* event to the map of alerts by id (mutates the map it is given). */
export function applyAlertEvent(alerts: Record<string, AlertRecord>, event: SessionEvent): void {
  const d = event.data;
  const id = str(d.alertId);
  if (!id) return;
  const prev = alerts[id];
  const by = str(d.by) ?? event.actorId;
  if (event.type === 'alert.raised') {
    const priority = isPriority(d.priority) ? d.priority : 'high'; // unknown: fail loud, not quiet
    alerts[id] = {
      ...(prev ?? {
        id,
        status: 'open',
        raisedAt: event.at,
        acknowledgedAt: null,
        acknowledgedBy: null,
        resolvedAt: null,
        resolvedBy: null,
        resolutionNote: null,
        silencedUntil: null,
        escalationCount: 0,
      }),
      condition: str(d.condition) ?? prev?.condition ?? 'unknown',
      priority,
      message: str(d.message) ?? prev?.message ?? '',
      updatedAt: event.at,
    };
    return;
  }
  if (!prev) return; // an action on an alert raised before our window: nothing to update
  const updated: AlertRecord = { ...prev, updatedAt: event.at };
  if (event.type === 'alert.acknowledged') {
    updated.status = 'acknowledged';
    updated.acknowledgedAt = event.at;
    updated.acknowledgedBy = by;
  } else if (event.type === 'alert.resolved') {
    updated.status = 'resolved';
    updated.resolvedAt = event.at;
    updated.resolvedBy = d.auto === true ? null : by;
    updated.resolutionNote = str(d.note) ?? str(d.reason) ?? null;
  } else if (event.type === 'alert.silenced') {
    updated.silencedUntil = str(d.silencedUntil) ?? null;
  } else if (event.type === 'alert.escalated') {
    updated.escalationCount = num(d.escalationCount) ?? prev.escalationCount + 1;
    if (isPriority(d.priority)) updated.priority = d.priority;
  }
  alerts[id] = updated;
}
