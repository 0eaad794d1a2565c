import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Client } from 'pg';
import { assign, http, login, makeSession, makeUser } from './support/factories';
import { createTestApp, createTestDatabase, type TestApp } from './support/test-app';

/**
 * scripts/backup.sh and scripts/restore.sh as a deployer runs them: pg_dump -Fc with the audit
 * chain head recorded beside (and printed for keeping off the host), a restore into a fresh
 * database, and `npm run audit:verify -- --head` proving the restored chain intact and extending
 * the recorded head. pg_dump refuses a server newer than itself, so this runs where the client
 * is at least the server's major version: CI's check step (PostgreSQL 15 and its pg_dump 15);
 * the embedded PostgreSQL 18 ships no pg_dump, and there it is skipped saying so.
 */
const root = resolve(__dirname, '..');

function major(text: string): number {
  return Number(/(\d+)(?:\.\d+)?/.exec(text)?.[1] ?? 0);
}

function pgDumpMajor(): number | null {
  const res = spawnSync('pg_dump', ['--version'], { encoding: 'utf8' });
  return res.status === 0 ? major(res.stdout.replace(/^[^0-9]*/, '')) : null;
}

/** Why this machine cannot run the test, or '' when it can (decided before any test runs). */
function whySkip(): string {
  const client = pgDumpMajor();
  if (client === null) return 'pg_dump is not installed (apt-get install postgresql-client)';
  const version = spawnSync(
    'psql',
    [process.env.VIGIL_TEST_ADMIN_URL ?? '', '-XAtc', 'SHOW server_version_num'],
    { encoding: 'utf8' },
  );
  if (version.status !== 0) return `psql cannot reach the test server: ${version.stderr.trim()}`;
  const server = Math.floor(Number(version.stdout.trim()) / 10000);
  if (client < server) {
    return `pg_dump ${client} cannot dump PostgreSQL ${server} (CI's check step runs this on PostgreSQL 15)`;
  }
  return '';
}

const skip = whySkip();
if (skip) console.log(`backup/restore test SKIPPED: ${skip}`);

(skip ? describe.skip : describe)('backup and restore', () => {
  let t: TestApp;
  let dir: string;
  let target: Awaited<ReturnType<typeof createTestDatabase>>;

  beforeAll(async () => {
    t = await createTestApp();
    target = await createTestDatabase({ empty: true });
    dir = mkdtempSync(join(tmpdir(), 'vigil-backup-'));
  });

  afterAll(async () => {
    await t?.close();
    await target?.drop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const deploymentId = async (url: string) => {
    const db = new Client({ connectionString: url });
    await db.connect();
    try {
      return (await db.query<{ id: string }>('SELECT id FROM deployment')).rows[0].id;
    } finally {
      await db.end();
    }
  };

  const activity = async () => {
    const patient = await makeUser(t.dataSource, 'patient');
    const clinician = await makeUser(t.dataSource, 'clinician');
    await assign(t.dataSource, clinician, patient);
    const sessionId = await makeSession(t.dataSource, { patient, clinician });
    const { accessToken } = await login(t.url, patient);
    for (let i = 0; i < 3; i++) {
      const res = await http(t.url, 'POST', `/api/sessions/${sessionId}/check-ins`, {
        token: accessToken,
        body: { clientId: randomUUID(), moaas: 5 },
      });
      expect(res.status).toBe(201);
    }
  };

  const run = (script: string, args: string[], databaseUrl: string) =>
    spawnSync('bash', [join(root, 'scripts', script), ...args], {
      cwd: root,
      env: { ...process.env, DATABASE_URL: databaseUrl },
      encoding: 'utf8',
      timeout: 120_000,
    });

  it('dumps, restores into a fresh database and verifies the chain against the recorded head', async () => {
    await activity();
    const backup = run('backup.sh', [dir], t.databaseUrl);
    expect(backup.stderr).toBe('');
    expect(backup.status).toBe(0);
    const line =
      /^vigil-backup \S+ audit-head (\d+:[0-9a-f]{64}) dump (\S+) sha256 [0-9a-f]{64}$/m.exec(
        backup.stdout,
      );
    expect(line).not.toBeNull();
    const [, head, dumpName] = line!;
    expect(Number(head.split(':')[0])).toBeGreaterThan(3);
    expect(readdirSync(dir).sort()).toEqual([dumpName, dumpName.replace(/\.dump$/, '.head')]);
    expect(readFileSync(join(dir, dumpName.replace(/\.dump$/, '.head')), 'utf8').trim()).toBe(head);
    // The live system goes on after the backup; the restore is the state at backup time.
    await activity();

    const restore = run('restore.sh', [join(dir, dumpName), head], target.url);
    expect(restore.status).toBe(0);
    expect(restore.stdout).toMatch(/audit chain intact: \d+ rows/);
    expect(restore.stdout).toContain(`recorded head seq ${head.split(':')[0]} found`);
    const restored = new Client({ connectionString: target.url });
    await restored.connect();
    const { rows } = await restored.query<{ seq: string; hash: string }>(
      'SELECT seq, hash FROM audit_chain_head',
    );
    await restored.end();
    expect(`${rows[0].seq}:${rows[0].hash}`).toBe(head);
    // A copy is a deployment of its own: with the original's id, started on the same Redis, it
    // delivered its events to the live deployment's clinicians (the channels carry the id).
    expect(restore.stdout).toContain('restore: this copy is a deployment of its own');
    expect(await deploymentId(target.url)).not.toBe(await deploymentId(t.databaseUrl));
  }, 240_000);

  it('keeps the original deployment id only when asked (--same-deployment: the copy replaces it)', async () => {
    const dump = readdirSync(dir).find((f) => f.endsWith('.dump'))!;
    const replacement = await createTestDatabase({ empty: true });
    try {
      const res = run('restore.sh', ['--same-deployment', join(dir, dump)], replacement.url);
      expect(res.status).toBe(0);
      expect(res.stdout).toContain("restore: kept the original's deployment id");
      expect(await deploymentId(replacement.url)).toBe(await deploymentId(t.databaseUrl));
    } finally {
      await replacement.drop();
    }
  }, 240_000);

  it('fails verification against a head the restored chain does not contain', () => {
    const forged = `3:${'ab'.repeat(32)}`;
    const res = spawnSync('npm', ['run', '--silent', 'audit:verify', '--', '--head', forged], {
      cwd: root,
      env: { ...process.env, DATABASE_URL: target.url },
      encoding: 'utf8',
      timeout: 120_000,
    });
    expect(res.stdout).toMatch(/recorded head seq 3 NOT in this chain \(different hash/);
    expect(res.status).toBe(1);
  }, 120_000);

  it('refuses to restore over a database that is not empty', () => {
    const dump = readdirSync(dir).find((f) => f.endsWith('.dump'))!;
    const res = run('restore.sh', [join(dir, dump)], target.url);
    expect(res.status).not.toBe(0);
    expect(res.stderr).toMatch(/not empty/);
  });
});
