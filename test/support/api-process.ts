import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { freePort } from './global-setup';
import { TEST_SECRET } from './test-secret';

/** The API's real entry point (main.ts, its signal handling included) as a child process. */
export interface ApiProcess {
  url: string;
  process: ChildProcess;
  output(): string;
  exited: Promise<number | null>;
  stop(): Promise<void>;
}

export async function startApiProcess(
  databaseUrl: string,
  /** Added to the API's environment; `undefined` leaves a variable unset (Node skips it). */
  env: Record<string, string | undefined> = {},
  /** A fixed port, so a restarted instance comes back where its clients reconnect. */
  fixedPort?: number,
  /** A built main.js to run instead of the TypeScript (boots in seconds, not tens of seconds). */
  builtMain?: string,
): Promise<ApiProcess> {
  const port = fixedPort ?? (await freePort());
  const inherited = { ...process.env };
  for (const key of ['REDIS_URL', 'DOTENV_CONFIG_PATH']) delete inherited[key];
  const child = spawn(
    process.execPath,
    builtMain
      ? [builtMain]
      : [
          '-r',
          'ts-node/register/transpile-only',
          '-r',
          'tsconfig-paths/register',
          'apps/api/src/main.ts',
        ],
    {
      cwd: resolve(__dirname, '../..'),
      env: {
        ...inherited,
        VIGIL_MODE: 'production',
        DATABASE_URL: databaseUrl,
        JWT_SECRET: TEST_SECRET,
        PORT: String(port),
        HOST: '127.0.0.1',
        LOG_LEVEL: 'log',
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  return {
    url: `http://127.0.0.1:${port}`,
    process: child,
    output: () => output,
    exited,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}

/** Polls until `probe` holds or the time is up (then throws with what the API printed). */
export async function waitFor(
  what: string,
  probe: () => Promise<boolean>,
  timeoutMs: number,
  output: () => string = () => '',
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await probe().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out waiting for ${what}\n${output().slice(-4000)}`);
}
