import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { buildDataSourceOptions } from '../apps/api/src/database/data-source-options';
import { MIGRATIONS } from '../apps/api/src/database/migrations';
import { verifyAuditChain, type SqlRunner } from '../apps/api/src/modules/audit/audit-verify';
import {
  assign,
  http,
  login,
  makeSession,
  makeUser,
  type HttpResult,
  type TestUser,
} from './support/factories';
import { prng, tamper, TAMPER_KINDS, type TamperKind } from './support/audit-tamper';
import { createTestApp, createTestDatabase, type TestApp } from './support/test-app';

const TRIALS = 1000;
const at = '2026-11-26T10:00:00.000Z';

const runnerOf =
  (db: Client): SqlRunner =>
  async (sql, params) =>
    (await db.query(sql, params)).rows as unknown[];

describe('audit chain: tamper-evident, linear under concurrency', () => {
  let t: TestApp;
  let supervisor: TestUser;
  let clinician: TestUser;
  let patient: TestUser;
  let sessionId: string;
  let supervisorToken: string;
  let patientToken: string;

  beforeAll(async () => {
    t = await createTestApp();
    const ds = t.dataSource;
    supervisor = await makeUser(ds, 'supervisor');
    clinician = await makeUser(ds, 'clinician');
    patient = await makeUser(ds, 'patient');
    await assign(ds, clinician, patient);
    sessionId = await makeSession(ds, { patient, clinician });
    supervisorToken = (await login(t.url, supervisor)).accessToken;
    patientToken = (await login(t.url, patient)).accessToken;
    const clinicianToken = (await login(t.url, clinician)).accessToken;
    for (let i = 0; i < 20; i++) {
      await http(t.url, 'POST', `/api/sessions/${sessionId}/check-ins`, {
        token: patientToken,
        body: { clientId: `c-${i}`, moaas: 5, dissociation: i % 4, takenAt: at },
      });
      await http(t.url, 'GET', `/api/sessions/${sessionId}`, { token: clinicianToken });
    }
  });
  afterAll(() => t.close());

  const verify = () => http(t.url, 'GET', '/api/audit/verify', { token: supervisorToken });

  it('chains every row and verifies the whole trail through the API, auditing the check', async () => {
    const res = await verify();
    expect(res.status).toBe(200);
    // The verification's own audit row commits after the walk.
    const [{ n }] = await t.dataSource.query(`SELECT count(*)::int - 1 AS n FROM audit_events`);
    expect(res.body).toMatchObject({ ok: true, firstBroken: null, checkedRows: n, headSeq: n });
    expect(res.body.headHash).toMatch(/^[0-9a-f]{64}$/);
    const [row] = await t.dataSource.query(
      `SELECT detail FROM audit_events WHERE action = 'audit.verify' ORDER BY seq DESC LIMIT 1`,
    );
    expect(row.detail).toMatchObject({ ok: true, checkedRows: n });
  });

  it('refuses the verification to anyone but a supervisor, and audits the refusal', async () => {
    const res = await http(t.url, 'GET', '/api/audit/verify', { token: patientToken });
    expect(res.status).toBe(403);
    expect(res.body).toEqual({
      statusCode: 403,
      error: 'Forbidden',
      message: 'role: patient may not use this route',
    });
    const rows = await t.dataSource.query(
      `SELECT entity_id FROM audit_events WHERE action = 'supervisor.denied' AND actor_id = $1`,
      [patient.id],
    );
    expect(rows).toEqual([{ entity_id: 'GET /api/audit/verify' }]);
    expect((await http(t.url, 'GET', '/api/audit/verify')).status).toBe(401);
  });

  it('still refuses UPDATE, DELETE and TRUNCATE while the trigger is on, and the head never moves back', async () => {
    await expect(t.dataSource.query(`UPDATE audit_events SET action = 'x'`)).rejects.toThrow(
      /append-only/,
    );
    await expect(t.dataSource.query(`DELETE FROM audit_events`)).rejects.toThrow(/append-only/);
    await expect(t.dataSource.query(`TRUNCATE audit_events`)).rejects.toThrow(/append-only/);
    await expect(t.dataSource.query(`UPDATE audit_chain_head SET seq = 0`)).rejects.toThrow(
      /forward/,
    );
  });

  it(`detects ${TRIALS} random edits, deletions, reorders and insertions made behind the app's back: 100%`, async () => {
    const db = new Client({ connectionString: t.databaseUrl });
    await db.connect();
    const detected: Record<TamperKind, [number, number]> = Object.fromEntries(
      TAMPER_KINDS.map((k) => [k, [0, 0]]),
    ) as Record<TamperKind, [number, number]>;
    const missed: string[] = [];
    const random = prng(20261126);
    const started = Date.now();
    try {
      await db.query('BEGIN');
      // As the superuser, for this transaction only: the rollback below turns them back on.
      await db.query('ALTER TABLE audit_events DISABLE TRIGGER USER');
      await db.query('ALTER TABLE audit_chain_head DISABLE TRIGGER USER');
      const [{ n }] = (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM audit_events'))
        .rows;
      expect((await verifyAuditChain(runnerOf(db))).ok).toBe(true);
      for (let i = 0; i < TRIALS; i++) {
        const kind = TAMPER_KINDS[Math.floor(random() * TAMPER_KINDS.length)];
        await db.query('SAVEPOINT trial');
        const what = await tamper(db, kind, n, random);
        const result = await verifyAuditChain(runnerOf(db));
        detected[kind][1] += 1;
        if (result.ok) missed.push(`trial ${i}: ${what}`);
        else detected[kind][0] += 1;
        await db.query('ROLLBACK TO SAVEPOINT trial');
      }
      await db.query('ROLLBACK');
    } finally {
      await db.end();
    }
    const total = Object.values(detected).reduce((sum, [d]) => sum + d, 0);
    console.log(
      `audit chain: detected ${total} of ${TRIALS} tampers in ${Date.now() - started} ms\n` +
        Object.entries(detected)
          .map(([k, [d, all]]) => `  ${k}: ${d}/${all}`)
          .join('\n'),
    );
    expect(missed).toEqual([]);
    expect(total).toBe(TRIALS);
    // The rollback restored the trail and the triggers.
    expect((await verify()).body.ok).toBe(true);
    await expect(t.dataSource.query(`DELETE FROM audit_events`)).rejects.toThrow(/append-only/);
    // 1,000 verifications of the whole trail: about 30 s on a quiet 2-core machine, 122 s at load
    // 20. A timeout would leave its transaction holding the table locks, and fail the next test too.
  }, 600_000);

  it('names the first broken link: the edited row', async () => {
    const db = new Client({ connectionString: t.databaseUrl });
    await db.connect();
    try {
      await db.query('BEGIN');
      await db.query('ALTER TABLE audit_events DISABLE TRIGGER USER');
      await db.query(`UPDATE audit_events SET outcome = 'denied' WHERE seq IN (7, 9)`);
      const result = await verifyAuditChain(runnerOf(db));
      expect(result.firstBroken).toMatchObject({ seq: 7, reason: 'hash_mismatch' });
      expect(result.checkedRows).toBe(6);
      await db.query('ROLLBACK');
    } finally {
      await db.end();
    }
  });

  it('stays linear under concurrent submissions, reads and logins: no gap, no fork', async () => {
    const before = (await verify()).body.headSeq as number;
    const answers = await Promise.all(
      Array.from({ length: 120 }, (_, i) =>
        i % 3 === 0
          ? submitAsAPhoneWould(() =>
              http(t.url, 'POST', `/api/sessions/${sessionId}/vitals`, {
                token: patientToken,
                body: {
                  clientId: `cv-${i}`,
                  readings: [{ kind: 'spo2', value: 97, measuredAt: at }],
                },
              }),
            )
          : i % 3 === 1
            ? http(t.url, 'GET', `/api/sessions/${sessionId}/events?after=0`, {
                token: patientToken,
              })
            : login(t.url, clinician),
      ),
    );
    // Every submission stored, every read answered: each appended its audit row.
    for (const a of answers) if ('status' in a) expect([200, 201]).toContain(a.status);
    const res = await verify();
    expect(res.body.ok).toBe(true);
    const [{ n, max }] = await t.dataSource.query(
      `SELECT count(*)::int AS n, max(seq)::int AS max FROM audit_events`,
    );
    expect(n).toBe(max);
    expect(res.body.headSeq).toBeGreaterThanOrEqual(before + 120);
  });
});

/**
 * A phone's outbox sends a submission again, same clientId, while the server answers 503 (busy):
 * on a loaded machine admission control may refuse some of this test's burst, and a refused
 * submission appends no audit row until it is stored. Bounded: a server that never takes it fails.
 */
async function submitAsAPhoneWould(send: () => Promise<HttpResult>): Promise<HttpResult> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const res = await send();
    if (res.status !== 503) return res;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('still refused 503 after 100 attempts');
}

/** `npm run audit:verify` as an operator runs it, against this test's database. */
async function runVerifyScript(databaseUrl: string): Promise<{ code: number; out: string }> {
  const root = resolve(__dirname, '..');
  try {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [
        resolve(root, 'node_modules/ts-node/dist/bin.js'),
        '--transpile-only',
        '-r',
        'tsconfig-paths/register',
        'scripts/audit-verify.ts',
      ],
      { cwd: root, env: { ...process.env, DATABASE_URL: databaseUrl, VIGIL_MODE: 'demo' } },
    );
    return { code: 0, out: stdout };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, out: `${e.stdout}${e.stderr}` };
  }
}

describe('npm run audit:verify', () => {
  it('reports an intact chain (exit 0), then the first broken link of a tampered one (exit 1)', async () => {
    const t = await createTestApp();
    try {
      const sup = await makeUser(t.dataSource, 'supervisor');
      for (let i = 0; i < 3; i++) await login(t.url, sup);
      const intact = await runVerifyScript(t.databaseUrl);
      expect(intact).toEqual({
        code: 0,
        out: expect.stringMatching(/^audit chain intact: 3 rows, head seq 3/),
      });
      await t.dataSource.query(`ALTER TABLE audit_events DISABLE TRIGGER USER`);
      await t.dataSource.query(`UPDATE audit_events SET outcome = 'denied' WHERE seq = 2`);
      await t.dataSource.query(`ALTER TABLE audit_events ENABLE TRIGGER USER`);
      const broken = await runVerifyScript(t.databaseUrl);
      expect(broken.code).toBe(1);
      expect(broken.out).toContain('audit chain BROKEN at seq 2');
      expect(broken.out).toContain('hash_mismatch');
    } finally {
      await t.close();
    }
  }, 60_000);
});

describe('audit chain migration', () => {
  it('chains the rows written before it, in id order, and the app appends after them', async () => {
    const db = await createTestDatabase({ empty: true });
    const opts = buildDataSourceOptions(db.url);
    const old = new DataSource({ ...opts, migrations: MIGRATIONS.slice(0, 3) });
    await old.initialize();
    try {
      await old.runMigrations();
      for (let i = 0; i < 25; i++) {
        await old.query(
          `INSERT INTO audit_events (actor_role, action, entity_type, outcome, detail)
           VALUES ('system', $1, 'test', 'success', $2)`,
          [`legacy.${i}`, JSON.stringify({ i, nested: { b: [1, 2.5, 'x'], a: null } })],
        );
      }
    } finally {
      await old.destroy();
    }
    const t = await createTestApp({ databaseUrl: db.url });
    try {
      const rows = await t.dataSource.query(`SELECT id, seq FROM audit_events ORDER BY id`);
      expect(rows.map((r: { seq: string }) => Number(r.seq))).toEqual(
        Array.from({ length: 25 }, (_, i) => i + 1),
      );
      const sup = await makeUser(t.dataSource, 'supervisor');
      const token = (await login(t.url, sup)).accessToken;
      const res = await http(t.url, 'GET', '/api/audit/verify', { token });
      expect(res.body).toMatchObject({ ok: true, checkedRows: 26, headSeq: 26 });
    } finally {
      await t.close();
      await db.drop();
    }
  });
});
