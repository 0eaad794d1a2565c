import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { freePort } from './global-setup';

/** `node scripts/start.mjs` as a newcomer runs it, on a fresh data folder and free ports. */
export interface NpmStartRun {
  url: string;
  process: ChildProcess;
  output(): string;
  /** Every process under the start script now (API, simulator, PostgreSQL and its workers). */
  descendants(): number[];
  /** Kills whatever is left (after a failed test) and removes the data folder. */
  cleanUp(pids: Iterable<number>): void;
}

export async function npmStart(env: Record<string, string> = {}): Promise<NpmStartRun> {
  const dataDir = mkdtempSync(join(tmpdir(), 'vigil-smoke-'));
  // initdb runs as the unprivileged postgres user when we are root: it must reach the folder.
  chmodSync(dataDir, 0o755);
  const port = await freePort();
  // A newcomer's shell: none of the settings CI exports for the other e2e tests.
  const inherited = { ...process.env };
  for (const key of ['DATABASE_URL', 'REDIS_URL', 'VIGIL_MODE', 'JWT_SECRET', 'PORT']) {
    delete inherited[key];
  }
  const child = spawn(process.execPath, ['scripts/start.mjs'], {
    cwd: resolve(__dirname, '../..'),
    env: {
      ...inherited,
      PORT: String(port),
      EMBEDDED_PG_DIR: join(dataDir, 'postgres'),
      EMBEDDED_PG_PORT: String(await freePort()),
      LOG_LEVEL: 'warn',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  return {
    url: `http://127.0.0.1:${port}`,
    process: child,
    output: () => output,
    descendants: () => descendantsOf(child.pid!),
    cleanUp: (pids) => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      for (const pid of pids) if (isAlive(pid)) process.kill(pid, 'SIGKILL');
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

function descendantsOf(pid: number): number[] {
  const out: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid) out.push(Number(entry), ...descendantsOf(Number(entry)));
    } catch {
      // exited while we looked
    }
  }
  return out;
}

/** Running, or stopped but not yet reaped: a zombie has finished. */
export function isAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

export async function waitFor<T>(
  what: string,
  timeoutMs: number,
  probe: () => Promise<T | null>,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => null);
    if (value !== null) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

export function waitForHealth(run: NpmStartRun, timeoutMs: number): Promise<true> {
  return waitFor('/api/health', timeoutMs, async () => {
    if (run.process.exitCode !== null) throw new Error('npm start exited');
    const res = await fetch(`${run.url}/api/health`);
    return res.ok ? true : null;
  }).catch((err: Error) => {
    throw new Error(`${err.message}\n--- npm start output ---\n${run.output().slice(-4000)}`);
  });
}
