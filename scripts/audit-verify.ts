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
 * `--head SEQ:HASH` (a head recorded outside the database earlier, e.g. by scripts/backup.sh)
 * also requires the chain to contain that row with that hash: a chain rewritten and re-hashed
 * since then, or cut back before it, fails.
 */
function recordedHead(argv: string[]): { seq: number; hash: string } | null {
  const i = argv.indexOf('--head');
  if (i < 0) return null;
  const match = /^(\d+):([0-9a-f]{64})$/.exec(argv[i + 1] ?? '');
  if (!match) throw new Error('--head takes SEQ:HASH (64 hex characters), as backup.sh prints it');
  return { seq: Number(match[1]), hash: match[2] };
}

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
  const expected = recordedHead(process.argv.slice(2));
  const { ds, embedded } = await connect();
  try {
    const { result, atRecorded } = await ds.transaction('REPEATABLE READ', async (m) => ({
      result: await verifyAuditChain((sql, params) => m.query(sql, params)),
      atRecorded: expected
        ? await m.query<Array<{ hash: string }>>(`SELECT hash FROM audit_events WHERE seq = $1`, [
            expected.seq,
          ])
        : [],
    }));
    const out = process.stdout;
    if (result.ok) {
      out.write(
        `audit chain intact: ${result.checkedRows} rows, head seq ${result.headSeq}, ` +
          `head hash ${result.headHash} (${result.durationMs} ms)\n`,
      );
      if (!expected) return 0;
      // Head seq 0 is the empty chain, which every chain extends.
      if (expected.seq === 0 || atRecorded[0]?.hash === expected.hash) {
        out.write(`recorded head seq ${expected.seq} found: the chain extends it\n`);
        return 0;
      }
      out.write(
        `recorded head seq ${expected.seq} NOT in this chain ` +
          `(${atRecorded.length ? 'different hash: rewritten since' : 'missing: cut back'})\n`,
      );
      return 1;
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
