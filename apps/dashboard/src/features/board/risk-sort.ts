import type { AlertRecord } from '../../read-model/session-model';
import { PRIORITY_RANK } from '../alerts/alert-logic';

export interface RiskFacts {
  sessionId: string;
  patientName: string;
  topAlert: Pick<AlertRecord, 'priority' | 'status'> | null;
  news2Total: number;
  overdueMs: number;
}

const NO_ALERT_RANK = 4;

/**
 * Most at risk first: open alert priority (unacknowledged before acknowledged), then NEWS2,
 * then how long a check-in is overdue; the name keeps the order stable so tiles do not jump.
 */
export function compareRisk(a: RiskFacts, b: RiskFacts): number {
  const rank = (f: RiskFacts) => (f.topAlert ? PRIORITY_RANK[f.topAlert.priority] : NO_ALERT_RANK);
  const acked = (f: RiskFacts) => (f.topAlert?.status === 'acknowledged' ? 1 : 0);
  return (
    rank(a) - rank(b) ||
    acked(a) - acked(b) ||
    b.news2Total - a.news2Total ||
    b.overdueMs - a.overdueMs ||
    a.patientName.localeCompare(b.patientName) ||
    a.sessionId.localeCompare(b.sessionId)
  );
}

export function sortByRisk<T extends RiskFacts>(items: readonly T[]): T[] {
  return [...items].sort(compareRisk);
}
