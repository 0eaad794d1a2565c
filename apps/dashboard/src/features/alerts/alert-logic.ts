import type { AlertPriority } from '@vigil/contracts';
import type { AlertRecord, SessionModel } from '../../read-model/session-model';

/** Lower is more urgent (IEC 60601-1-8: high, medium, low, then informational). */
export const PRIORITY_RANK: Record<AlertPriority, number> = { high: 0, medium: 1, low: 2, info: 3 };

export const PRIORITY_LABEL: Record<AlertPriority, string> = {
  high: 'High',
  medium: 'Medium',
  low: 'Low',
  info: 'Info',
};

/** Never colour alone: each priority also has its own shape and word. */
export const PRIORITY_ICON: Record<AlertPriority, string> = {
  high: '▲',
  medium: '◆',
  low: '●',
  info: 'ℹ',
};

export function isSilenced(alert: Pick<AlertRecord, 'silencedUntil'>, now: number): boolean {
  return alert.silencedUntil !== null && Date.parse(alert.silencedUntil) > now;
}

const unresolvedOf = new WeakMap<SessionModel['alerts'], AlertRecord[]>();

/**
 * Not resolved, most urgent first; unacknowledged before acknowledged, then oldest first.
 * Kept per alerts object (a session model keeps it until an alert event comes): at 200 sessions
 * the workspace asks for every session's list on each frame of live events.
 */
export function unresolvedAlerts(model: Pick<SessionModel, 'alerts'>): readonly AlertRecord[] {
  let list = unresolvedOf.get(model.alerts);
  if (!list) {
    list = Object.values(model.alerts)
      .filter((a) => a.status !== 'resolved')
      .sort(compareAlerts);
    unresolvedOf.set(model.alerts, list);
  }
  return list;
}

export function compareAlerts(a: AlertRecord, b: AlertRecord): number {
  return (
    PRIORITY_RANK[a.priority] - PRIORITY_RANK[b.priority] ||
    Number(a.status === 'acknowledged') - Number(b.status === 'acknowledged') ||
    Date.parse(a.raisedAt) - Date.parse(b.raisedAt)
  );
}

export function highestOpenAlert(model: Pick<SessionModel, 'alerts'>): AlertRecord | null {
  return unresolvedAlerts(model)[0] ?? null;
}

export type AlarmLevel = 'high' | 'medium' | null;

/**
 * What the speaker should play: the highest unacknowledged, unsilenced high or medium alert.
 * Low and informational alerts are shown, never sounded (alarm fatigue).
 */
export function alarmLevel(alerts: readonly AlertRecord[], now: number): AlarmLevel {
  let level: AlarmLevel = null;
  for (const a of alerts) {
    if (a.status !== 'open' || isSilenced(a, now)) continue;
    if (a.priority === 'high') return 'high';
    if (a.priority === 'medium') level = 'medium';
  }
  return level;
}

export interface AlertCounts {
  total: number;
  unacknowledged: number;
  byPriority: Record<AlertPriority, number>;
}

/** Unresolved alerts that need a person: informational ones are left out of the count. */
export function countAlerts(alerts: readonly AlertRecord[]): AlertCounts {
  const byPriority: Record<AlertPriority, number> = { high: 0, medium: 0, low: 0, info: 0 };
  let total = 0;
  let unacknowledged = 0;
  for (const a of alerts) {
    if (a.status === 'resolved' || a.priority === 'info') continue;
    byPriority[a.priority] += 1;
    total += 1;
    if (a.status === 'open') unacknowledged += 1;
  }
  return { total, unacknowledged, byPriority };
}

export function highestPriority(counts: AlertCounts): AlertPriority | null {
  return (['high', 'medium', 'low'] as const).find((p) => counts.byPriority[p] > 0) ?? null;
}
