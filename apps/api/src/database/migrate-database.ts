import { DataSource } from 'typeorm';
import { appRoleGrants } from './app-role-grants';
import { buildDataSourceOptions } from './data-source-options';

/** Any fixed number: every Vigil migrator waits on the same PostgreSQL advisory lock. */
export const MIGRATION_LOCK_KEY = 7_265_001;

/**
 * Runs the pending migrations (the same MIGRATIONS list and options as the app) while holding a
 * session-level advisory lock, so several migrators started at once run them one after another:
 * the first applies them, the others find nothing pending. With `appRole`, then grants that role
 * what the API needs and no more (app-role-grants.ts). Returns the names applied.
 */
export async function migrateDatabase(
  url: string,
  options: { appRole?: string } = {},
): Promise<string[]> {
  const dataSource = new DataSource({ ...buildDataSourceOptions(url), extra: { max: 2 } });
  await dataSource.initialize();
  // One dedicated connection holds the lock; an advisory lock belongs to its connection.
  const lock = dataSource.createQueryRunner();
  try {
    await lock.connect();
    await lock.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    try {
      const applied = await dataSource.runMigrations({ transaction: 'each' });
      if (options.appRole) {
        await lock.startTransaction();
        for (const sql of appRoleGrants(options.appRole)) await lock.query(sql);
        await lock.commitTransaction();
      }
      return applied.map((m) => m.name);
    } finally {
      await lock.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
    }
  } finally {
    await lock.release();
    await dataSource.destroy();
  }
}
