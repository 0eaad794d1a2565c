import 'reflect-metadata';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DataSource } from 'typeorm';
import { loadToolConfig } from '../apps/api/src/config/config.schema';
import { buildDataSourceOptions } from '../apps/api/src/database/data-source-options';
import {
  startEmbeddedPostgres,
  type EmbeddedDatabase,
} from '../apps/api/src/database/embedded-postgres';
import { verifyAuditChain } from '../apps/api/src/modules/audit/audit-verify';

/**
 * `npm run audit:verify`: walks the audit chain with the code behind GET /api/audit/verify, on
 * the database the app would use (DATABASE_URL, else the embedded one: the running server's, or
 * started here for the duration if nothing listens). Read-only. Exit 0 intact, 1 broken, 2 error.
 */
async function connect(): Promise<{ ds: DataSource; embedded: EmbeddedDatabase | null }> {
  const config = loadToolConfig();
  const url =
    config.DATABASE_URL ??
    `postgres://postgres:postgres@127.0.0.1:${config.EMBEDDED_PG_PORT}/vigil`;
  const ds = new DataSource(buildDataSourceOptions(url));
  try {
    await ds.initialize();
    return { ds, embedded: null };
  } catch (err) {
    if (config.DATABASE_URL) throw err;
    if (!existsSync(join(resolve(config.EMBEDDED_PG_DIR), 'PG_VERSION'))) {
      throw new Error(`no database: DATABASE_URL is unset and ${config.EMBEDDED_PG_DIR} is empty`);
    }
  }
  const embedded = await startEmbeddedPostgres({
    dir: config.EMBEDDED_PG_DIR,
    port: config.EMBEDDED_PG_PORT,
    database: 'vigil',
  });
  const started = new DataSource(buildDataSourceOptions(embedded.url));
  await started.initialize();
  return { ds: started, embedded };
}

async function main(): Promise<number> {
  const { ds, embedded } = await connect();
  try {
    const result = await ds.transaction('REPEATABLE READ', (m) =>
      verifyAuditChain((sql, params) => m.query(sql, params)),
    );
    const out = process.stdout;
    if (result.ok) {
      out.write(
        `audit chain intact: ${result.checkedRows} rows, head seq ${result.headSeq}, ` +
          `head hash ${result.headHash} (${result.durationMs} ms)\n`,
      );
      return 0;
    }
    const b = result.firstBroken;
    out.write(
      `audit chain BROKEN at seq ${b?.seq ?? '-'} (id ${b?.id ?? '-'}): ${b?.reason}: ${b?.message}\n` +
        `${result.checkedRows} rows verified before the break\n`,
    );
    return 1;
  } finally {
    await ds.destroy();
    await embedded?.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(
      `audit:verify failed: ${err instanceof Error ? err.message : String(err)}\n`,
    );
    process.exit(2);
  },
);
