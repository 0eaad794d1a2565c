import type { EntityManager } from 'typeorm';
import type { AlertFigures, AlertPriority, ResponseFigure } from '@vigil/contracts';

interface FigureRow {
  key: string;
  name: string | null;
  alerts: string;
  acknowledged: string;
  p50: number | null;
  p90: number | null;
  escalated_alerts: string;
  escalations: string;
}

const round1 = (n: number | null) => (n === null ? null : Math.round(n * 10) / 10);

function figure(row: FigureRow | undefined): ResponseFigure {
  return {
    alerts: Number(row?.alerts ?? 0),
    acknowledged: Number(row?.acknowledged ?? 0),
    ackP50Seconds: round1(row?.p50 ?? null),
    ackP90Seconds: round1(row?.p90 ?? null),
    escalatedAlerts: Number(row?.escalated_alerts ?? 0),
    escalations: Number(row?.escalations ?? 0),
  };
}

/**
 * The sessions in scope are those dosed within [from, to): their monitored time is the
 * denominator of "alerts per session-hour", and their alerts are the numerators and the
 * response times. Per clinician means the session's clinician, whoever acknowledged. A response
 * is timed from the alert's clock (CLINICAL.md v2: its raise, its first rise to medium or high from
 * low or informational, or the priority rise that opened an acknowledged alert again; an episode
 * reopened after an auto-resolve keeps its clock), as escalation counts it: not from a first raise
 * minutes before a rise that was answered at once.
 */
const SCOPE = `WITH scope AS (
    SELECT s.id, s.clinician_id,
           extract(epoch FROM coalesce(s.ended_at, $3) - s.dosed_at) / 3600 AS hours
      FROM sessions s
     WHERE s.dosed_at >= $1 AND s.dosed_at < $2),
  scoped AS (
    SELECT a.*, sc.clinician_id,
           extract(epoch FROM a.acknowledged_at - a.clock_at) AS ack_seconds
      FROM alerts a JOIN scope sc ON sc.id = a.session_id)`;

const FIGURES = `count(*) AS alerts,
  count(acknowledged_at) AS acknowledged,
  percentile_cont(0.5) WITHIN GROUP (ORDER BY ack_seconds) AS p50,
  percentile_cont(0.9) WITHIN GROUP (ORDER BY ack_seconds) AS p90,
  count(*) FILTER (WHERE escalation_count > 0) AS escalated_alerts,
  coalesce(sum(escalation_count), 0) AS escalations`;

export async function alertFigures(
  manager: EntityManager,
  from: Date,
  to: Date,
  now: Date,
): Promise<AlertFigures> {
  const params = [from, to, now];
  const [totals]: FigureRow[] = await manager.query(
    `${SCOPE} SELECT 'all' AS key, NULL AS name, ${FIGURES} FROM scoped`,
    params,
  );
  const byClinician: FigureRow[] = await manager.query(
    `${SCOPE} SELECT c.clinician_id AS key, u.name, ${FIGURES}
       FROM scoped c JOIN users u ON u.id = c.clinician_id
      GROUP BY c.clinician_id, u.name ORDER BY u.name, c.clinician_id`,
    params,
  );
  const byPriority: FigureRow[] = await manager.query(
    `${SCOPE} SELECT priority AS key, NULL AS name, ${FIGURES} FROM scoped
      GROUP BY priority
      ORDER BY array_position(ARRAY['high','medium','low','info'], priority)`,
    params,
  );
  const [exposure]: Array<{ sessions: string; hours: number | null }> = await manager.query(
    `${SCOPE} SELECT count(*) AS sessions, sum(hours)::float8 AS hours FROM scope`,
    params,
  );
  const byCondition: Array<{ condition: string; alerts: string }> = await manager.query(
    `${SCOPE} SELECT condition, count(*) AS alerts FROM scoped GROUP BY condition
      ORDER BY count(*) DESC, condition`,
    params,
  );
  const hours = exposure?.hours ?? 0;
  return {
    from: from.toISOString(),
    to: to.toISOString(),
    sessions: Number(exposure?.sessions ?? 0),
    sessionHours: Math.round(hours * 100) / 100,
    totals: figure(totals),
    byClinician: byClinician.map((r) => ({
      clinicianId: r.key,
      clinicianName: r.name ?? '',
      ...figure(r),
    })),
    byPriority: byPriority.map((r) => ({ priority: r.key as AlertPriority, ...figure(r) })),
    byCondition: byCondition.map((r) => ({
      condition: r.condition,
      alerts: Number(r.alerts),
      perSessionHour: hours > 0 ? Math.round((Number(r.alerts) / hours) * 100) / 100 : null,
    })),
  };
}
