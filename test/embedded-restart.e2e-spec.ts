import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Client } from 'pg';
import { startApiProcess, waitFor } from './support/api-process';
import { freePort } from './support/global-setup';
import { postgresAnswers } from './support/postgres-answers';
import { sleep, until } from './support/live-client';

/** test/support/embedded-child.ts on `dataDir` and a free port, as main.ts would start it. */
async function startChild(dataDir: string, stderr: 'inherit' | 'pipe'): Promise<ChildProcess> {
  return spawn(
    process.execPath,
    [
      '-r',
      'ts-node/register/transpile-only',
      '-r',
      'tsconfig-paths/register',
      'test/support/embedded-child.ts',
      dataDir,
      String(await freePort()),
    ],
    { cwd: resolve(__dirname, '..'), stdio: ['ignore', 'pipe', stderr] },
  );
}

/**
 * Demo mode's database (issue 13): nothing else restarts the embedded PostgreSQL, so the API's
 * own supervisor (apps/api/src/database/embedded-postgres.ts) does. Run in a child process, as
 * main.ts runs it.
 */
describe('embedded PostgreSQL supervision', () => {
  let dir: string;
  let child: ChildProcess;
  const lines: Array<{ what?: string; url?: string; dataDir?: string }> = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vigil-restart-pg-'));
    chmodSync(dir, 0o755);
    child = await startChild(join(dir, 'data'), 'inherit');
    let buffered = '';
    child.stdout!.on('data', (d: Buffer) => {
      buffered += d.toString();
      const parts = buffered.split('\n');
      buffered = parts.pop()!;
      for (const p of parts) if (p.startsWith('{')) lines.push(JSON.parse(p));
    });
    await until(() => lines.some((l) => l.url), 120_000, 'the embedded server');
  }, 130_000);
  afterAll(async () => {
    if (child.exitCode === null) {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    }
    rmSync(dir, { recursive: true, force: true });
  });

  const db = () => lines.find((l) => l.url) as { url: string; dataDir: string };

  it('refuses a second server on the same data folder, saying why, and exits 1', async () => {
    const second = await startChild(join(dir, 'data'), 'pipe');
    let stderr = '';
    second.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    const code = await new Promise<number | null>((r) => second.once('exit', r));
    expect(code).toBe(1);
    // The package rejects with nothing; the message comes from the server's own log.
    expect(stderr).toMatch(/embedded PostgreSQL did not start on port \d+ with data in \S+data: /);
    expect(stderr).toContain('FATAL: lock file "postmaster.pid" already exists');
    // The first server is untouched.
    expect(await postgresAnswers(db().url, 1000)).toBe(true);
  }, 60_000);

  it('starts the server again, with its data, when it is killed', async () => {
    const setup = new Client({ connectionString: db().url });
    await setup.connect();
    await setup.query(`CREATE TABLE kept (v int); INSERT INTO kept VALUES (42)`);
    await setup.end();
    const pid = Number(readFileSync(join(db().dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
    process.kill(pid, 'SIGKILL');
    await until(() => lines.some((l) => l.what === 'stopped'), 5000, 'the exit noticed');
    await until(() => lines.some((l) => l.what === 'restarted'), 60_000, 'the restart');
    expect(await postgresAnswers(db().url, 1000)).toBe(true);
    const client = new Client({ connectionString: db().url });
    await client.connect();
    expect((await client.query('SELECT v FROM kept')).rows).toEqual([{ v: 42 }]);
    await client.end();
  }, 90_000);

  it('does not restart a server stopped on purpose', async () => {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    await sleep(1000);
    expect(await postgresAnswers(db().url, 1000)).toBe(false);
    expect(lines.filter((l) => l.what === 'restarted')).toHaveLength(1);
  });
});

/**
 * A terminal's Ctrl-C signals `npm start`'s whole process group: the embedded database (the API's
 * child) gets the same SIGINT and may stop before the API's shutdown reaches it. The API noticed
 * that stop and logged it as an error. Made deterministic here: the API is told to stop first
 * (SIGTERM, draining), then its database stops on its own.
 */
describe('the embedded database stopping while the API shuts down', () => {
  it('is logged as a warning, not an error, and the API still exits 0', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-shutdown-pg-'));
    chmodSync(dir, 0o755);
    const api = await startApiProcess('', {
      DATABASE_URL: undefined,
      VIGIL_MODE: 'demo',
      EMBEDDED_PG_DIR: join(dir, 'data'),
      EMBEDDED_PG_PORT: String(await freePort()),
      SHUTDOWN_DRAIN_MS: '3000',
    });
    try {
      const ready = async () => (await fetch(`${api.url}/api/health/ready`)).status;
      await waitFor('readiness', async () => (await ready()) === 200, 120_000, api.output);
      api.process.kill('SIGTERM');
      await waitFor('readiness to turn 503', async () => (await ready()) === 503, 2000, api.output);
      const pid = Number(readFileSync(join(dir, 'data', 'postmaster.pid'), 'utf8').split('\n')[0]);
      process.kill(pid, 'SIGINT'); // PostgreSQL's fast shutdown, as Ctrl-C gives it
      expect(await api.exited).toBe(0);
      const logged = api
        .output()
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l) as { level: number; msg: string });
      expect(logged).toContainEqual(
        expect.objectContaining({
          level: 40,
          msg: expect.stringMatching(/^while shutting down: embedded PostgreSQL stopped \(exit/),
        }),
      );
      expect(logged.filter((l) => l.level >= 50)).toEqual([]);
    } finally {
      await api.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 180_000);
});
