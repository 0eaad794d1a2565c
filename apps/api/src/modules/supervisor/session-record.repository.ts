import type { EntityManager } from 'typeorm';
import type { AlertPriority } from '@vigil/contracts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

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

export async function userNames(
  manager: EntityManager,
  ids: readonly string[],
): Promise<Map<string, string>> {
  // Ids come from event data: anything that is not a UUID names nobody (and must not reach a cast).
  const valid = ids.filter((id) => UUID.test(id));
  if (valid.length === 0) return new Map();
  const rows: Array<{ id: string; name: string }> = await manager.query(
    `SELECT id, name FROM users WHERE id = ANY($1::uuid[])`,
    [[...new Set(valid)]],
  );
  return new Map(rows.map((r) => [r.id, r.name]));
}
