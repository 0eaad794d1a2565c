import { Client } from 'pg';
import { AuditSealer, sealAuditPage } from '../apps/api/src/modules/audit/audit-sealer';
import { verifyAuditChain, type SqlRunner } from '../apps/api/src/modules/audit/audit-verify';
import { login, makeUser } from './support/factories';
import { createTestApp, type TestApp } from './support/test-app';

const runnerOf =
  (db: Client): SqlRunner =>
  async (sql, params) =>
    (await db.query(sql, params)).rows as unknown[];

/** Inserts one audit row as the app does (content only), on `db`'s connection. */
const insertRow = (db: Client, action: string) =>
  db.query(
    `INSERT INTO audit_events (actor_role, action, entity_type, outcome) VALUES ('system', $1, 'test', 'success')`,
    [action],
  );

/** One sealing pass on `db`, in a transaction of its own, as the sealer runs it. */
async function sealOn(db: Client): Promise<number> {
  await db.query('BEGIN');
  try {
    const n = await sealAuditPage(runnerOf(db));
    await db.query('COMMIT');
    return n;
  } catch (err) {
    await db.query('ROLLBACK');
    throw err;
  }
}

async function chain(db: Client): Promise<Array<{ action: string; seq: number | null }>> {
  const { rows } = await db.query<{ action: string; seq: string | null }>(
    `SELECT action, seq FROM audit_events WHERE entity_type = 'test' ORDER BY id`,
  );
  return rows.map((r) => ({ action: r.action, seq: r.seq === null ? null : Number(r.seq) }));
}

describe('audit sealer: the chain is written after commit', () => {
  let t: TestApp;
  const clients: Client[] = [];
  const client = async () => {
    const c = new Client({ connectionString: t.databaseUrl });
    await c.connect();
    clients.push(c);
    return c;
  };

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.end()));
    await t.close();
  });

  it('chains committed rows in the order they are sealed: a late commit gets a later seq, a rollback no gap', async () => {
    const [a, b, c, d] = [await client(), await client(), await client(), await client()];
    await a.query('BEGIN');
    await insertRow(a, 'late'); // the lower id, committed last
    await b.query('BEGIN');
    await insertRow(b, 'early');
    await b.query('COMMIT');
    await c.query('BEGIN');
    await insertRow(c, 'rolled.back');
    await c.query('ROLLBACK');
    // The app's own sealer may have run meanwhile: either way `early` is chained; `late` is not
    // committed, so no sealer sees it.
    await sealOn(d);
    expect(await chain(d)).toEqual([{ action: 'early', seq: expect.any(Number) }]);
    await a.query('COMMIT');
    await sealOn(d);
    const after = await chain(d);
    expect(after.map((r) => r.action)).toEqual(['late', 'early']);
    expect(after[0].seq).toBeGreaterThan(after[1].seq as number);
    const [{ max, n }] = (
      await d.query<{ max: number; n: number }>(
        `SELECT max(seq)::int AS max, count(*)::int AS n FROM audit_events`,
      )
    ).rows;
    expect(n).toBe(max);
    expect(await verifyAuditChain(runnerOf(d))).toMatchObject({ ok: true, checkedRows: n });
  });

  it('stays linear with two sealers racing while rows commit: every row once, no gap, no fork', async () => {
    const writers = await Promise.all([client(), client(), client()]);
    const sealers = await Promise.all([client(), client()]);
    let writing = true;
    const sealing = sealers.map(async (s) => {
      let sealed = 0;
      while (writing) sealed += await sealOn(s);
      return sealed;
    });
    await Promise.all(
      writers.map(async (w, i) => {
        for (let k = 0; k < 100; k++) {
          await w.query('BEGIN');
          await insertRow(w, `race.${i}.${k}`);
          await insertRow(w, `race.${i}.${k}.b`);
          await w.query('COMMIT');
        }
      }),
    );
    writing = false;
    await Promise.all(sealing);
    await sealOn(sealers[0]);
    const [{ n, max, unsealed }] = (
      await sealers[0].query<{ n: number; max: number; unsealed: number }>(
        `SELECT count(*)::int AS n, max(seq)::int AS max,
                count(*) FILTER (WHERE seq IS NULL)::int AS unsealed FROM audit_events`,
      )
    ).rows;
    expect(unsealed).toBe(0);
    expect(n).toBe(max);
    expect(await verifyAuditChain(runnerOf(sealers[0]))).toMatchObject({
      ok: true,
      checkedRows: n,
    });
  });

  it('lets a row be sealed once and never changed after; content never, sealed or not', async () => {
    const db = await client();
    await db.query('BEGIN');
    try {
      await insertRow(db, 'to.seal');
      const [{ id }] = (await db.query<{ id: string }>(`SELECT max(id) AS id FROM audit_events`))
        .rows;
      await db.query('SAVEPOINT s');
      await expect(
        db.query(
          `UPDATE audit_events SET action = 'edited', seq = 999999, prev_hash = repeat('0', 64),
                  hash = repeat('1', 64), sealed_at = now() WHERE id = $1`,
          [id],
        ),
      ).rejects.toThrow(/append-only/);
      await db.query('ROLLBACK TO SAVEPOINT s');
      await expect(
        db.query(
          `UPDATE audit_events SET seq = 999999, prev_hash = repeat('0', 64), hash = repeat('1', 64)
            WHERE id = $1`,
          [id],
        ),
      ).rejects.toThrow(/append-only/);
      await db.query('ROLLBACK TO SAVEPOINT s');
      await expect(
        db.query(`UPDATE audit_events SET seq = 999999 WHERE id = $1`, [id]),
      ).rejects.toThrow(/append-only|audit_events_sealed_whole/);
      await db.query('ROLLBACK TO SAVEPOINT s');
      await db.query(
        `UPDATE audit_events SET seq = 999999, prev_hash = repeat('0', 64), hash = repeat('1', 64),
                sealed_at = now() WHERE id = $1`,
        [id],
      );
      await expect(
        db.query(
          `UPDATE audit_events SET seq = 999998, prev_hash = repeat('0', 64), hash = repeat('1', 64),
                  sealed_at = now() WHERE id = $1`,
          [id],
        ),
      ).rejects.toThrow(/append-only/);
    } finally {
      await db.query('ROLLBACK');
    }
  });

  it('chains what the running app writes within a second, and verification names rows left unchained', async () => {
    const db = await client();
    const user = await makeUser(t.dataSource, 'supervisor');
    const started = Date.now();
    await login(t.url, user);
    let waitedMs = 0;
    for (;;) {
      const { rows } = await db.query<{ seq: string | null }>(
        `SELECT seq FROM audit_events WHERE action = 'auth.login' AND actor_id = $1`,
        [user.id],
      );
      waitedMs = Date.now() - started;
      if (rows[0]?.seq) break;
      if (waitedMs > 5000) throw new Error('the login was not chained within 5 s');
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(waitedMs).toBeLessThan(1000);
    expect(await t.app.get(AuditSealer).sealNow()).toBeGreaterThanOrEqual(0);

    // A row no sealer took for over a minute (here: uncommitted, so no sealer sees it).
    await db.query('BEGIN');
    try {
      await db.query(
        `INSERT INTO audit_events (actor_role, action, entity_type, outcome, at)
         VALUES ('system', 'stale', 'test', 'success', clock_timestamp() - interval '2 minutes')`,
      );
      const result = await verifyAuditChain(runnerOf(db));
      expect(result.ok).toBe(false);
      expect(result.firstBroken).toMatchObject({ reason: 'seq_gap' });
      expect(result.firstBroken?.message).toMatch(/1 rows older than 1 minute are not chained/);
    } finally {
      await db.query('ROLLBACK');
    }
  });
});
