import { Client } from 'pg';
import { MIGRATION_LOCK_KEY, migrateDatabase } from '../apps/api/src/database/migrate-database';
import { MIGRATIONS } from '../apps/api/src/database/migrations';
import { createTestApp, createTestDatabase, type TestApp } from './support/test-app';

describe('migrate entry point', () => {
  it('applies every migration once when several migrators start at the same time', async () => {
    const db = await createTestDatabase({ empty: true });
    try {
      const runs = await Promise.all([1, 2, 3].map(() => migrateDatabase(db.url)));
      expect(runs.map((applied) => applied.length).sort()).toEqual([0, 0, MIGRATIONS.length]);
      expect(await migrateDatabase(db.url)).toEqual([]);
      const client = new Client({ connectionString: db.url });
      await client.connect();
      const { rows } = await client.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM migrations',
      );
      await client.end();
      expect(rows[0].n).toBe(MIGRATIONS.length);
    } finally {
      await db.drop();
    }
  });
});

describe('API start-up on a new database', () => {
  it('waits for the migration lock another migrator holds, then applies the migrations once', async () => {
    const db = await createTestDatabase({ empty: true });
    const holder = new Client({ connectionString: db.url });
    await holder.connect();
    await holder.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    const starting = createTestApp({ databaseUrl: db.url });
    let app: TestApp | null = null;
    try {
      // An instance that ignored the lock would be creating tables by now (the app boots in ~2 s).
      await new Promise((resolve) => setTimeout(resolve, 4000));
      const before = await holder.query<{ t: string | null }>(
        "SELECT to_regclass('public.sessions')::text AS t",
      );
      expect(before.rows[0].t).toBeNull();
      await holder.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
      app = await starting;
      const { rows } = await holder.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM migrations',
      );
      expect(rows[0].n).toBe(MIGRATIONS.length);
    } finally {
      await holder.end();
      await (app ?? (await starting.catch(() => null)))?.close();
      await db.drop();
    }
  });
});
