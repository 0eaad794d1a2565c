import { chmodSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:net';
import {
  startEmbeddedPostgres,
  type EmbeddedDatabase,
} from '../../apps/api/src/database/embedded-postgres';

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
 * file then creates its own database on it and runs the migrations there.
 */
export default async function globalSetup(): Promise<void> {
  process.env.TZ = 'UTC';
  if (process.env.TEST_DATABASE_URL) {
    process.env.VIGIL_TEST_ADMIN_URL = process.env.TEST_DATABASE_URL;
    return;
  }
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
