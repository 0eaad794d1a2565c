import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { buildDataSourceOptions } from '../apps/api/src/database/data-source-options';
import { MIGRATIONS } from '../apps/api/src/database/migrations';
import { readEventsAfterMany } from '../apps/api/src/modules/events/event-reads';
import { seedSessions } from './support/factories';
import { createTestDatabase } from './support/test-app';

const SESSIONS = 20;
const EVENTS = 1500;

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  Plans?: PlanNode[];
}

const nodesOf = (node: PlanNode): PlanNode[] => [node, ...(node.Plans ?? []).flatMap(nodesOf)];
const scansOfLog = (plan: PlanNode) =>
  nodesOf(plan).filter((n) => n['Relation Name'] === 'session_events');

/** A migrated database with SESSIONS sessions and, once `fill` runs, EVENTS events in each. */
async function logDatabase() {
  const db = await createTestDatabase();
  const ds = new DataSource({ ...buildDataSourceOptions(db.url), migrations: MIGRATIONS });
  await ds.initialize();
  await ds.runMigrations();
  const ids = await seedSessions(ds, SESSIONS);
  const fill = async () => {
    await ds.query(
      `INSERT INTO session_events (session_id, seq, type, at, client_id, body_hash, data)
       SELECT s.id, g, 'vitals.recorded', now(), 'c-' || g, 'h-' || g,
              jsonb_build_object('readings', jsonb_build_array(
                jsonb_build_object('kind', 'heart_rate', 'value', 70 + g % 20,
                                   'measuredAt', '2026-12-04T08:00:00.000Z')))
         FROM unnest($1::uuid[]) AS s(id) CROSS JOIN generate_series(1, $2::int) g`,
      [ids, EVENTS],
    );
    await ds.query(`UPDATE sessions SET head_seq = $2 WHERE id = ANY($1::uuid[])`, [ids, EVENTS]);
  };
  return { ds, ids, fill, url: db.url, drop: db.drop };
}

/**
 * The alert engine reads, every pass, the events after each session's last pass: a few rows per
 * session. As a plain join PostgreSQL planned it as a hash join over a sequential scan of the
 * whole log (it cannot see `after` when it plans, and guesses a third of each session's events),
 * so every pass read every event ever stored: 132 ms two hours into 50 sessions, against 7 ms by
 * key (`npm run bench:board-read`). This holds the statement the code sends to a plan that reads
 * each session's range of the primary key, on a log large enough for the planner to choose.
 */
describe('readEventsAfterMany: the alert engine reads each session by key, not the whole log', () => {
  let ds: DataSource;
  let drop: () => Promise<void>;
  let ids: string[] = [];

  beforeAll(async () => {
    const db = await logDatabase();
    ({ ds, ids, drop } = db);
    await db.fill();
    await ds.query(`ANALYZE session_events`);
  }, 60_000);
  afterAll(async () => {
    await ds?.destroy();
    await drop?.();
  });

  it('returns each session’s events after its seq, in order, through primary-key ranges', async () => {
    const after = new Map(ids.map((id, i) => [id, EVENTS - 1 - (i % 5)]));
    let sent: { sql: string; params: unknown[] } | null = null;
    const recording = {
      query: (sql: string, params: unknown[]) => {
        sent = { sql, params };
        return ds.query(sql, params);
      },
    } as unknown as Parameters<typeof readEventsAfterMany>[0];
    const read = await readEventsAfterMany(recording, after);
    for (const [id, from] of after)
      expect(read.get(id)?.map((e) => e.seq)).toEqual(
        Array.from({ length: EVENTS - from }, (_, k) => from + 1 + k),
      );

    const statement = sent as unknown as { sql: string; params: unknown[] };
    const [{ 'QUERY PLAN': plan }] = await ds.query<Array<{ 'QUERY PLAN': [{ Plan: PlanNode }] }>>(
      `EXPLAIN (FORMAT JSON) ${statement.sql}`,
      statement.params,
    );
    const scans = scansOfLog(plan[0].Plan);
    expect(scans.length).toBeGreaterThan(0);
    expect(scans.map((n) => n['Node Type'])).not.toContain('Seq Scan');
  });
});

/**
 * The group commit's idempotency lookup runs in `vigil_append_lock` (migration 1764190060000),
 * planned once per connection with a generic plan, kept for the connection's life. As a plain
 * join, a plan made while the log was nearly empty (a new install, a bench's first minute) was a
 * hash join over a sequential scan, then read the whole log on every group commit as it grew.
 * Planned on an empty log, the lookup must still read each key from the (session_id, client_id)
 * index. The plan a function runs is not what EXPLAIN shows: auto_explain reports it.
 */
describe('the idempotency lookup: a plan made on an empty log still reads by key', () => {
  let ds: DataSource;
  let drop: () => Promise<void>;
  let ids: string[] = [];
  let result: {
    found: Array<{
      session_id: string;
      head_seq: string | null;
      client_id: string | null;
      seq: string | null;
      body_hash: string | null;
    }>;
    plans: string[];
  };

  beforeAll(async () => {
    const db = await logDatabase();
    ({ ds, ids, drop } = db);
    // No ANALYZE between the two calls: it would have the function planned again.
    await ds.query(`ALTER TABLE session_events SET (autovacuum_enabled = false)`);
    const client = new Client({ connectionString: db.url });
    await client.connect();
    const plans: string[] = [];
    client.on('notice', (msg) => {
      if (msg.message?.includes('session_events ev')) plans.push(msg.message);
    });
    try {
      await client.query(`LOAD 'auto_explain'`);
      await client.query(`SET auto_explain.log_min_duration = 0`);
      await client.query(`SET auto_explain.log_nested_statements = on`);
      await client.query(`SET client_min_messages = log`);
      // Planned now, on the empty log, and cached for this connection.
      await client.query(`SELECT * FROM vigil_append_lock($1::uuid[], $1::uuid[], '{c-1}')`, [
        [ids[0]],
      ]);
      await db.fill();
      const keys = ids.slice(0, 3);
      const found = await client.query(
        `SELECT * FROM vigil_append_lock($1::uuid[], $2::uuid[], $3::text[])`,
        [keys, [...keys, keys[0]], ['c-7', 'c-8', 'missing', 'c-9']],
      );
      result = { found: found.rows, plans };
    } finally {
      await client.end();
    }
  }, 60_000);
  afterAll(async () => {
    await ds?.destroy();
    await drop?.();
  });

  it('returns the locked sessions’ heads and the stored events of the keys asked, only those', () => {
    const rows = result.found.map((r) => [
      r.session_id,
      r.head_seq === null ? null : Number(r.head_seq),
      r.client_id,
      r.seq === null ? null : Number(r.seq),
      r.body_hash,
    ]);
    expect(rows.filter((r) => r[2] === null).sort()).toEqual(
      ids
        .slice(0, 3)
        .map((id) => [id, EVENTS, null, null, null])
        .sort(),
    );
    expect(
      rows.filter((r) => r[2] !== null).sort((a, b) => String(a[2]).localeCompare(String(b[2]))),
    ).toEqual([
      [ids[0], null, 'c-7', 7, 'h-7'],
      [ids[1], null, 'c-8', 8, 'h-8'],
      [ids[0], null, 'c-9', 9, 'h-9'],
    ]);
  });

  it('keeps reading the unique index once the log has grown', () => {
    // Both calls' lookups, the second run by the plan the first one made.
    expect(result.plans).toHaveLength(2);
    for (const plan of result.plans) {
      expect(plan).toMatch(/Index Scan using \S+ on session_events ev/);
      expect(plan).not.toMatch(/Seq Scan on session_events/);
    }
  });
});
