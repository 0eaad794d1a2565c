import type { EntityManager } from 'typeorm';
import type { AlertPriority } from '@vigil/contracts';

export async function alertCounts(
  manager: EntityManager,
  sessionId: string,
): Promise<Record<AlertPriority, number>> {
  const rows: Array<{ priority: AlertPriority; n: string }> = await manager.query(
    `SELECT priority, count(*) AS n FROM alerts WHERE session_id = $1 GROUP BY priority`,
    [sessionId],
  );
  const counts: Record<AlertPriority, number> = { high: 0, medium: 0, low: 0, info: 0 };
  for (const r of rows) counts[r.priority] = Number(r.n);
  return counts;
}
