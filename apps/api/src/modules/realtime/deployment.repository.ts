import type { EntityManager } from 'typeorm';

/**
 * This database's deployment id (migration 1764190100000): the same for every instance on it,
 * different for every other deployment's database. The instances' Redis channels are named
 * after it.
 */
export async function readDeploymentId(manager: EntityManager): Promise<string> {
  const rows: Array<{ id: string }> = await manager.query(`SELECT id FROM deployment`);
  if (rows.length !== 1)
    throw new Error('the deployment table must hold one row (migration 1764190100000)');
  return rows[0].id;
}
