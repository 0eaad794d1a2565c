import { Client } from 'pg';
import { migrateDatabase } from '../apps/api/src/database/migrate-database';
import { MIGRATIONS } from '../apps/api/src/database/migrations';
import { createTestDatabase } from './support/test-app';

describe('migrate entry point', () => {
  it('applies every migration once when several migrators start at the same time', async () => {
    const db = await createTestDatabase();
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
