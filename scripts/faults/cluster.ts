// The real processes a fault run needs: PostgreSQL (a fresh database on the machine's server, or
// an embedded one), a redis-server of its own on a free port, and two API instances on fixed
// ports so a killed one comes back where its clients reconnect.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdtempSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import {
  startEmbeddedPostgres,
  type EmbeddedDatabase,
} from '../../apps/api/src/database/embedded-postgres';
import { startApiProcess, waitFor, type ApiProcess } from '../../test/support/api-process';
import { freePort } from '../../test/support/global-setup';
import { postgresAnswers } from '../../test/support/postgres-answers';
import { setTimeout as sleep } from 'node:timers/promises';
import { fmt } from './report';

export { HAVE_REDIS_SERVER, OwnRedis } from '../../test/support/own-redis';

async function adminQuery(adminUrl: string, sql: string): Promise<void> {
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

export interface Database {
  url: string;
  name: string;
  where: string;
  dataSource: DataSource;
  close(): Promise<void>;
}

/**
 * TEST_DATABASE_URL (an admin URL, as CI sets it), else the machine's PostgreSQL on
 * 127.0.0.1:5432 when it answers, else an embedded server in a temporary folder. The run gets a
 * database of its own, dropped at the end.
 */
export async function openDatabase(): Promise<Database> {
  let embedded: EmbeddedDatabase | null = null;
  let adminUrl = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  let where = process.env.TEST_DATABASE_URL ? 'TEST_DATABASE_URL' : 'PostgreSQL at 127.0.0.1:5432';
  if (!(await postgresAnswers(adminUrl))) {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-faults-pg-'));
    chmodSync(dir, 0o755);
    embedded = await startEmbeddedPostgres({
      dir: join(dir, 'data'),
      port: await freePort(),
      database: 'vigil_template',
      persistent: false,
    });
    adminUrl = embedded.adminUrl;
    where = 'embedded PostgreSQL';
  }
  const name = `vigil_faults_${randomBytes(5).toString('hex')}`;
  await adminQuery(adminUrl, `CREATE DATABASE ${name}`);
  const parsed = new URL(adminUrl);
  parsed.pathname = `/${name}`;
  const url = parsed.toString();
  const dataSource = new DataSource({
    type: 'postgres',
    url,
    extra: { max: 4, application_name: 'faults-runner' },
  });
  return {
    url,
    name,
    where,
    dataSource,
    close: async () => {
      if (dataSource.isInitialized) await dataSource.destroy();
      await adminQuery(adminUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(
        () => undefined,
      );
      await embedded?.stop();
    },
  };
}

/** One API instance (apps/api/src/main.ts, as production runs it) that can be killed and restarted. */
export class Instance {
  private current: ApiProcess | null = null;
  /** Exits nobody asked for: what the table calls crashes. */
  crashes = 0;
  /** Lines the process-wide last-resort handler wrote (unhandled rejections, kept serving). */
  lastResortLines = 0;
  private killing = false;

  constructor(
    readonly name: string,
    readonly port: number,
    private readonly databaseUrl: string,
    private readonly env: Record<string, string>,
    private readonly builtMain?: string,
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get pid(): number | undefined {
    return this.current?.process.pid;
  }

  async start(): Promise<number> {
    const started = Date.now();
    const api = await startApiProcess(this.databaseUrl, this.env, this.port, this.builtMain);
    this.current = api;
    this.killing = false;
    void api.exited.then((code) => {
      if (!this.killing) {
        this.crashes++;
        console.error(`[faults] instance ${this.name} exited (${code}) on its own:`);
        console.error(api.output().slice(-3000));
      }
    });
    // An instance that dies while booting fails the run at once, with what it printed.
    await Promise.race([
      waitFor(
        `instance ${this.name}`,
        async () => (await fetch(`${this.url}/api/health/live`)).ok,
        180_000,
        api.output,
      ),
      api.exited.then((code) => {
        throw new Error(`instance ${this.name} exited (${code}) while booting`);
      }),
    ]);
    return Date.now() - started;
  }

  async kill(): Promise<void> {
    this.killing = true;
    this.count();
    await this.current?.stop();
    this.current = null;
  }

  /** Counts last-resort lines in what the process printed so far. */
  count(): number {
    const out = this.current?.output() ?? '';
    this.lastResortLines = Math.max(
      this.lastResortLines,
      (out.match(/unhandled promise rejection/gi) ?? []).length,
    );
    return this.lastResortLines;
  }

  rssMb(): number {
    const pid = this.pid;
    if (!pid) return 0;
    const status = spawnSync('cat', [`/proc/${pid}/status`]).stdout.toString();
    const m = /VmRSS:\s+(\d+)/.exec(status);
    return m ? Number(m[1]) / 1024 : 0;
  }
}

/**
 * The API built with `nest build api` (as npm start builds it) when dist is older than the
 * sources: a built instance boots in seconds, so a restart measures recovery, not compiling.
 */
export function buildApi(root: string): string {
  const main = join(root, 'dist/apps/api/src/main.js');
  const newest = (dir: string): number =>
    readdirSync(dir, { withFileTypes: true }).reduce((m, e) => {
      const path = join(dir, e.name);
      return Math.max(m, e.isDirectory() ? newest(path) : statSync(path).mtimeMs);
    }, 0);
  const sources = ['apps/api/src', 'libs/contracts/src', 'libs/clinical/src'].map((d) =>
    join(root, d),
  );
  if (existsSync(main) && sources.every((d) => newest(d) <= statSync(main).mtimeMs)) return main;
  console.log('[faults] building the API (nest build api)...');
  const built = spawnSync(
    process.execPath,
    [join(root, 'node_modules/@nestjs/cli/bin/nest.js'), 'build', 'api'],
    { cwd: root, stdio: 'inherit' },
  );
  if (built.status !== 0) throw new Error('nest build api failed');
  return main;
}

/**
 * What an operator's proxy or orchestrator hears from the instance's readiness, and Prometheus
 * from its metrics, 2 s into a stall or an outage.
 */
export async function probesDuringStall(instance: Instance, metricsPort: number): Promise<string> {
  await sleep(2000);
  const ask = async (url: string) => {
    const started = Date.now();
    const status = await fetch(url, { signal: AbortSignal.timeout(10_000) })
      .then((r) => String(r.status))
      .catch(() => 'no answer in 10 s');
    return `${status} in ${fmt(Date.now() - started)} s`;
  };
  const [ready, metrics] = await Promise.all([
    ask(`${instance.url}/api/health/ready`),
    ask(`http://127.0.0.1:${metricsPort}/metrics`),
  ]);
  return `ready ${ready}, metrics ${metrics}`;
}
