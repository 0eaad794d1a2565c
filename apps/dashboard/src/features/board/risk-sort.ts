import { news2Band, type News2Result } from '@vigil/clinical';
import type { AlertRecord } from '../../read-model/session-model';
import { PRIORITY_RANK } from '../alerts/alert-logic';

export interface RiskFacts {
  sessionId: string;
  patientName: string;
  topAlert: Pick<AlertRecord, 'priority' | 'status'> | null;
  /** The NEWS2 response band the score is at least in (news2Level): 3 high ... 0 low. */
  news2Level: number;
  /**
   * When the check-in fell due (epoch ms), if it is overdue; null if not. The earlier, the longer
   * overdue: the order is the same as by how long, and it does not move on every tick.
   */
  overdueSince: number | null;
}

const NO_ALERT_RANK = 4;

const BAND_LEVEL = { low: 0, low_medium: 1, medium: 2, high: 3 } as const;

/**
 * The NEWS2 response band (RCP chart 4) a session's score puts it in at least, for the board's
 * order: its band when complete; when a parameter is missing, the band of the partial total (a
 * missing parameter can only add to it). By band, not by total: a 1 Hz SpO2 or pulse that
 * wavers across a scoring line (SpO2 96/95, total 0/1) moved the session up and down past every
 * session of the same alert priority, and with them the contents of every tile in between,
 * dozens of times a second on a 200-session board (bench:board); a tile moves when the band,
 * the clinical response, changes.
 */
export function news2Level(news2: Pick<News2Result, 'total' | 'anySingleThree'>): number {
  return BAND_LEVEL[news2Band(news2.total, news2.anySingleThree)];
}

// One collator for every comparison: String.prototype.localeCompare builds its own each call,
// which made the board's sort of 200 sessions one of its heaviest functions.
const names = new Intl.Collator();

const rank = (f: RiskFacts) => (f.topAlert ? PRIORITY_RANK[f.topAlert.priority] : NO_ALERT_RANK);
const acked = (f: RiskFacts) => (f.topAlert?.status === 'acknowledged' ? 1 : 0);
const overdue = (f: RiskFacts) => f.overdueSince ?? Infinity;

/**
 * Most at risk first: open alert priority (unacknowledged before acknowledged), then the NEWS2
 * band, then how long a check-in is overdue; the name keeps the order stable so tiles do not jump.
 */
export function compareRisk(a: RiskFacts, b: RiskFacts): number {
  return (
    rank(a) - rank(b) ||
    acked(a) - acked(b) ||
    b.news2Level - a.news2Level ||
    // Both Infinity (neither overdue) is NaN: equal.
    overdue(a) - overdue(b) ||
    names.compare(a.patientName, b.patientName) ||
    names.compare(a.sessionId, b.sessionId)
  );
}

export function sortByRisk<T extends RiskFacts>(items: readonly T[]): T[] {
  return [...items].sort(compareRisk);
}

/** Whether two facts of one session sort the same against any other. */
export function sameRisk(a: RiskFacts, b: RiskFacts): boolean {
  return (
    a.sessionId === b.sessionId &&
    a.patientName === b.patientName &&
    rank(a) === rank(b) &&
    acked(a) === acked(b) &&
    a.news2Level === b.news2Level &&
    a.overdueSince === b.overdueSince
  );
}

/**
 * The risk order again after some items changed: when no item's sort facts changed (a new value
 * on a tile, the usual frame of live events), the last order with the new items, without
 * sorting; otherwise a full sort. `previous` is the last call's answer.
 */
export function resortByRisk<T extends RiskFacts>(
  items: readonly T[],
  previous: readonly T[],
): T[] {
  if (items.length !== previous.length) return sortByRisk(items);
  const byId = new Map<string, T>();
  for (const item of items) byId.set(item.sessionId, item);
  const next: T[] = [];
  for (const before of previous) {
    const now = byId.get(before.sessionId);
    if (now === undefined || (now !== before && !sameRisk(before, now))) return sortByRisk(items);
    next.push(now);
  }
  return next;
}
