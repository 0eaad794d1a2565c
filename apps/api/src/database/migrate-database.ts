import { DataSource, type QueryRunner } from 'typeorm';
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
async function tryLock(lock: QueryRunner): Promise<boolean> {
  const rows = await lock.manager.query<Array<{ locked: boolean }>>(
    'SELECT pg_try_advisory_lock($1) AS locked',
    [MIGRATION_LOCK_KEY],
  );
  return rows[0]?.locked === true;
}

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
    // Asked again every 200 ms rather than waited for in one statement: a statement waiting for
    // the lock holds a transaction open all that time, and a migration that builds an index
    // CONCURRENTLY (the holder's) waits for every transaction open when it started to end. Two
    // instances started together (a rolling deploy, the two-instance tests) then waited on each
    // other for ever, and PostgreSQL detects no deadlock between an advisory lock and that wait.
    while (!(await tryLock(lock))) await new Promise((resolve) => setTimeout(resolve, 200));
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
