import type { EntityManager } from 'typeorm';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

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
