import type { EntityManager } from 'typeorm';
import {
  LIVE_STATES,
  type AlertPriority,
  type SessionHistoryFilters,
  type SessionHistoryItem,
  type SessionOutcome,
  type SessionState,
} from '@vigil/contracts';
import { toSessionSummary, type SessionRow } from '../sessions/session-access';

interface HistoryRow extends SessionRow {
  created_at: Date;
  outcome: SessionOutcome;
  high: string;
  medium: string;
  low: string;
  info: string;
  escalations: string;
  monitoring_minutes: number | null;
  total: string;
}

/** When a session happened, for date filters and ordering: the dose, else the plan, else creation. */
export const SESSION_TIME_SQL = `coalesce(s.dosed_at, s.scheduled_for, s.created_at)`;

export const OUTCOME_SQL = `CASE s.state WHEN 'ended' THEN 'signed_off' WHEN 'aborted' THEN 'aborted'
  ELSE 'in_progress' END`;

function statesOf(state: string | undefined): readonly SessionState[] | null {
  if (!state) return null;
  return state === 'live' ? LIVE_STATES : (state.split(',') as SessionState[]);
}

/** One page of sessions matching the supervisor's filters, newest first, with the match count. */
export async function searchSessions(
  manager: EntityManager,
  f: SessionHistoryFilters,
  now: Date,
): Promise<{ items: SessionHistoryItem[]; total: number }> {
  const clauses: string[] = [];
  const params: unknown[] = [now];
  const add = (sql: (n: string) => string, value: unknown) => {
    params.push(value);
    clauses.push(sql(`$${params.length}`));
  };
  if (f.from) add((n) => `${SESSION_TIME_SQL} >= ${n}`, f.from);
  if (f.to) add((n) => `${SESSION_TIME_SQL} < ${n}`, f.to);
  if (f.clinicianId) add((n) => `s.clinician_id = ${n}`, f.clinicianId);
  if (f.patientId) add((n) => `s.patient_id = ${n}`, f.patientId);
  const states = statesOf(f.state);
  if (states) add((n) => `s.state = ANY(${n}::text[])`, states);
  if (f.outcome) add((n) => `${OUTCOME_SQL} = ${n}`, f.outcome);
  if (f.alertPriority) {
    add(
      (n) => `EXISTS (SELECT 1 FROM alerts x WHERE x.session_id = s.id AND x.priority = ${n})`,
      f.alertPriority,
    );
  }
  const page = f.page ?? 1;
  const pageSize = f.pageSize ?? 25;
  params.push(pageSize, (page - 1) * pageSize);
  const rows: HistoryRow[] = await manager.query(
    `SELECT s.id, s.state, s.scheduled_for, s.dosed_at, s.ended_at, s.head_seq, s.created_at,
            s.patient_id, p.user_id AS patient_user_id, pu.name AS patient_name,
            s.clinician_id, cu.name AS clinician_name,
            pr.id AS protocol_id, pr.name AS protocol_name, pr.version AS protocol_version,
            ${OUTCOME_SQL} AS outcome,
            coalesce(al.high, 0) AS high, coalesce(al.medium, 0) AS medium,
            coalesce(al.low, 0) AS low, coalesce(al.info, 0) AS info,
            coalesce(al.escalations, 0) AS escalations,
            CASE WHEN s.dosed_at IS NULL THEN NULL
                 ELSE round((extract(epoch FROM coalesce(s.ended_at, $1) - s.dosed_at) / 60)::numeric, 1)::float8
            END AS monitoring_minutes,
            count(*) OVER () AS total
       FROM sessions s
       JOIN patients p ON p.id = s.patient_id
       JOIN users pu ON pu.id = p.user_id
       JOIN users cu ON cu.id = s.clinician_id
       JOIN protocols pr ON pr.id = s.protocol_id
       LEFT JOIN LATERAL (
         SELECT count(*) FILTER (WHERE a.priority = 'high') AS high,
                count(*) FILTER (WHERE a.priority = 'medium') AS medium,
                count(*) FILTER (WHERE a.priority = 'low') AS low,
                count(*) FILTER (WHERE a.priority = 'info') AS info,
                sum(a.escalation_count) AS escalations
           FROM alerts a WHERE a.session_id = s.id) al ON true
      WHERE ${clauses.length ? clauses.join(' AND ') : 'TRUE'}
      ORDER BY ${SESSION_TIME_SQL} DESC, s.id
      LIMIT $${params.length - 1} OFFSET $${params.length}`,
    params,
  );
  const items = rows.map((r): SessionHistoryItem => ({
    ...toSessionSummary(r),
    createdAt: r.created_at.toISOString(),
    outcome: r.outcome,
    alerts: {
      high: Number(r.high),
      medium: Number(r.medium),
      low: Number(r.low),
      info: Number(r.info),
    } satisfies Record<AlertPriority, number>,
    escalations: Number(r.escalations),
    monitoringMinutes: r.monitoring_minutes,
  }));
  if (rows[0]) return { items, total: Number(rows[0].total) };
  // A page past the last has no row to carry the window count: count the matches on their own,
  // so the pager still says how many there are (as the audit log's does).
  const where = clauses.length ? clauses.join(' AND ') : 'TRUE';
  const [counted]: Array<{ total: string }> = await manager.query(
    // $1 (now) is the page's and unused here, but the clauses are numbered after it.
    `SELECT count(*) AS total, $1::timestamptz AS now FROM sessions s WHERE ${where}`,
    params.slice(0, params.length - 2),
  );
  return { items, total: Number(counted.total) };
}
