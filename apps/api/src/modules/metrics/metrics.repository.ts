import type { EntityManager } from 'typeorm';
import { LIVE_STATES } from '@vigil/contracts';

/** Events committed to live sessions that the alert engine has not evaluated yet. */
export async function readAlertEngineLag(manager: Pick<EntityManager, 'query'>): Promise<number> {
  const [row]: Array<{ lag: string | null }> = await manager.query(
    `SELECT sum(s.head_seq - coalesce(st.last_seq, 0)) AS lag
       FROM sessions s LEFT JOIN session_alert_state st ON st.session_id = s.id
      WHERE s.state = ANY($1::text[])`,
    [LIVE_STATES],
  );
  return Number(row?.lag ?? 0);
}

/** Unresolved alerts, counted by priority (a priority with none is absent). */
export async function countOpenAlertsByPriority(
  manager: Pick<EntityManager, 'query'>,
): Promise<Array<{ priority: string; count: number }>> {
  const rows: Array<{ priority: string; n: string }> = await manager.query(
    `SELECT priority, count(*) AS n FROM alerts WHERE status <> 'resolved' GROUP BY priority`,
  );
  return rows.map((r) => ({ priority: r.priority, count: Number(r.n) }));
}

/** Escalations and reminders sent for alerts, all time. */
export async function countAlertEscalations(
  manager: Pick<EntityManager, 'query'>,
): Promise<number> {
  const [row]: Array<{ n: string | null }> = await manager.query(
    `SELECT sum(escalation_count) AS n FROM alerts`,
  );
  return Number(row?.n ?? 0);
}
