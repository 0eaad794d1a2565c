import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:net';
import { Client } from 'pg';
import {
  startEmbeddedPostgres,
  type EmbeddedDatabase,
} from '../../apps/api/src/database/embedded-postgres';
import { migrateDatabase } from '../../apps/api/src/database/migrate-database';

declare global {
  var __VIGIL_EMBEDDED_PG__: EmbeddedDatabase | undefined;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/**
 * One PostgreSQL server for the whole e2e run: `TEST_DATABASE_URL` (an admin URL whose server
 * lets us create databases) when set, otherwise an embedded one in a temporary folder. Each test
 * file then creates its own database on it, copied from one the migrations ran on here once
 * (`CREATE DATABASE ... TEMPLATE`): a copy takes a fraction of the 21 migrations' time, and a
 * run creates a few hundred databases. Tests of the migrations themselves ask for an empty one.
 */
export default async function globalSetup(): Promise<void> {
  process.env.TZ = 'UTC';
  if (process.env.TEST_DATABASE_URL) {
    process.env.VIGIL_TEST_ADMIN_URL = process.env.TEST_DATABASE_URL;
  } else {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-test-pg-'));
    // initdb runs as the unprivileged postgres user when we are root: it must reach the folder.
    chmodSync(dir, 0o755);
    const pg = await startEmbeddedPostgres({
      dir: join(dir, 'data'),
      port: await freePort(),
      database: 'vigil_template',
      persistent: false,
    });
    globalThis.__VIGIL_EMBEDDED_PG__ = pg;
    process.env.VIGIL_TEST_ADMIN_URL = pg.adminUrl;
  }
  process.env.VIGIL_TEST_MIGRATED_TEMPLATE = await migratedTemplate(
    process.env.VIGIL_TEST_ADMIN_URL,
  );
}

/** A database with every migration applied and nothing else, to copy (global-teardown drops it). */
async function migratedTemplate(adminUrl: string): Promise<string> {
  const name = `vigil_migrated_${randomBytes(6).toString('hex')}`;
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  await migrateDatabase(url.toString());
  return name;
}
